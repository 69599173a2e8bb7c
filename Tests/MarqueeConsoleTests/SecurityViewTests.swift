import Foundation
import MarqueeConsole
import MarqueeCore
import MarqueeTestSupport
import Testing

/// `:security`: tenants with their quotas and the audit trail, newest first, with the chain verified.
@Suite struct SecurityViewTests {
    @Test func theSecurityViewShowsTenantsQuotasAndTheVerifiedAuditTrailNewestFirst() async throws {
        let fleet = Fixtures.fleet(theaters: 10)
        let store = try await Fixtures.store(with: fleet)
        let api = LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now })
        let admin = Principal.bootstrapAdmin(tenantID: "mtc-platform")
        let service = SecurityService(store: store)
        _ = try await service.setQuota(tenantID: "visionary-analytics", siteID: nil, cpu: 2, memoryBytes: 4 << 30, storageBytes: nil, by: admin)
        let site = try #require(fleet.sites.first?.id)
        _ = try await service.lockdown(siteID: site, reason: "two hosts stolen", by: admin)
        let security = LocalSecurityAPI(service: service, principal: admin)

        var state = try await ConsoleRenderer.state(
            api: api, security: security, view: .security, width: 160, height: 40, readOnly: true, now: Fixtures.now)
        let text = ConsoleFixture.text(state)
        #expect(text.contains("chain intact (2 records)"), "\(text)")
        #expect(text.contains("quotas: visionary-analytics cpu 2, memory 4.0 GiB at each site"))
        #expect(state.table.row(at: 0)?.id == "audit/2")
        let newest = try #require(text.split(separator: "\n").first { $0.contains("site.lockdown") })
        #expect(newest.contains(site) && newest.contains("two hosts stolen"))

        // From anywhere: `:security` opens it and asks for the data.
        var other = try await ConsoleRenderer.state(api: api, view: .countries, width: 160, height: 40, readOnly: true, now: Fixtures.now)
        #expect(ConsoleFixture.type(":security<enter>", into: &other) == [.loadSecurity])
        #expect(other.screen.kind == .security)
        #expect(ConsoleFixture.text(other).contains("reading and verifying"))
        // Ctrl-R reads it again.
        #expect(ConsoleFixture.type("<c-r>", into: &state).contains(.loadSecurity))
    }

    @Test func theTenantsViewShowsEachQuotaWithItsUsageAtTheBusiestSite() async throws {
        let fleet = Fixtures.fleet(theaters: 10)
        let store = try await Fixtures.store(with: fleet)
        let api = LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now })
        let admin = Principal.bootstrapAdmin(tenantID: "mtc-platform")
        let service = SecurityService(store: store)
        let usage = try await store.tenantUsageBySite(tenantID: "mtc-platform")
        let (busiest, used) = try #require(usage.max { ($0.value.cpu, $1.key) < ($1.value.cpu, $0.key) })
        // A CPU quota just under what the busiest theater already uses: that one is over.
        _ = try await service.setQuota(tenantID: "mtc-platform", siteID: nil, cpu: used.cpu * 0.8, memoryBytes: nil, storageBytes: nil, by: admin)
        let security = LocalSecurityAPI(service: service, principal: admin)
        let state = try await ConsoleRenderer.state(
            api: api, security: security, view: .tenants, width: 160, height: 40, readOnly: true, now: Fixtures.now)
        let text = ConsoleFixture.text(state)
        #expect(text.contains("1 OVER QUOTA"), "\(text)")
        let row = try #require(state.table.model.rows.first { $0.id == "quota/mtc-platform/*" })
        #expect(row.cells[2] == "each site" && row.cells[6] == "125%" && row.cells[7] == busiest)
        #expect(row.cells[3] == "\(TenantQuota.cores(used.cpu)) / \(TenantQuota.cores(used.cpu * 0.8))")
        #expect(row.styles[6] == .statusCritical)
        // A tenant without a quota is listed too.
        #expect(state.table.model.rows.contains { $0.id == "tenant/visionary-analytics" && $0.cells[2] == "no quota" })
        // `:tenants` opens it from anywhere and asks for the data.
        var other = try await ConsoleRenderer.state(api: api, view: .countries, width: 160, height: 40, readOnly: true, now: Fixtures.now)
        #expect(ConsoleFixture.type(":tenants<enter>", into: &other) == [.loadSecurity])
        #expect(other.screen.kind == .tenants)
    }
}
