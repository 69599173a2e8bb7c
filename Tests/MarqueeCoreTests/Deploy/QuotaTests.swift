import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

/// Per-tenant, per-site quotas: placement refuses what would exceed them, naming the quota.
@Suite struct QuotaTests {
    static let admin = Principal.bootstrapAdmin(tenantID: "mtc-platform")

    @Test func placementRefusesWhatWouldTakeATenantPastItsQuotaAtASite() async throws {
        let harness = try await DeploymentServiceTests.Harness(theaters: 20)
        let security = SecurityService(store: harness.store, clock: harness.clock)
        let sites = try await harness.store.sites().map(\.id).sorted()
        // The vendor may use 1 CPU per site, but 4 at one site that has its own quota.
        _ = try await security.setQuota(tenantID: "visionary-analytics", siteID: nil, cpu: 1, memoryBytes: nil, storageBytes: nil, by: Self.admin)
        let generous = sites[0]
        _ = try await security.setQuota(
            tenantID: "visionary-analytics", siteID: generous, cpu: 4, memoryBytes: 8 << 30, storageBytes: nil, by: Self.admin)
        let quotas = try await security.quotas(tenantID: "visionary-analytics", by: Self.admin)
        #expect(quotas.map(\.siteID) == [nil, generous])
        #expect(try await harness.store.quota(tenantID: "visionary-analytics", siteID: generous)?.cpu == 4)
        #expect(try await harness.store.quota(tenantID: "visionary-analytics", siteID: sites[1])?.cpu == 1)

        // vision-analytics asks for 2 CPU per site: over the default quota, within the generous one.
        let service = harness.service()
        _ = try await service.apply(try DeploymentServiceTests.specs("vision-analytics"), actor: "vendor-ci")
        var rollout = try #require(try await harness.store.rollouts().first { $0.application == "vision-analytics" })
        for _ in 0..<3 {
            try await service.tick()
            try await harness.agentsRun()
            harness.clock.advance(by: 60)
        }
        rollout = try #require(try await harness.store.rollout(id: rollout.id))
        let refused = rollout.sites.values.filter { $0.reason?.contains("quota") == true }
        #expect(!refused.isEmpty)
        let reason = try #require(refused.first?.reason)
        #expect(reason.contains("over tenant visionary-analytics's quota at each site (cpu 1)"), "\(reason)")
        #expect(reason.contains("CPU 2 > 1"), "\(reason)")
        #expect(rollout.sites[generous]?.reason?.contains("quota") != true)
        let refusedSite = try #require(refused.first?.siteID)
        for host in try await harness.store.hosts(siteID: refusedSite, status: nil) {
            #expect(!(try await harness.store.containers(hostID: host.id)).contains { $0.app == "vision-analytics" && $0.version == "7.4.0" })
        }

        // Reading quotas says what each uses where it applies: the generous site's own (nothing of the
        // vendor's was placed there), and for the each-site quota its busiest other site — where the
        // vendor's earlier version, placed before the quota existed, already takes 2 CPU: 200 %.
        let usage = try await harness.store.tenantUsageBySite(tenantID: "visionary-analytics")
        let read = try await security.quotas(tenantID: "visionary-analytics", by: Self.admin)
        let own = try #require(read.first { $0.siteID == generous })
        #expect(own.usage?.cpu == usage[generous]?.cpu)
        let each = try #require(read.first { $0.siteID == nil }?.usage)
        let busiest = try #require(usage.filter { $0.key != generous }.map(\.value.cpu).max())
        #expect(busiest == 2)
        #expect(each.siteID != generous && usage[each.siteID]?.cpu == busiest && each.cpu == busiest && each.utilisation == 2)

        // Only platform admins set quotas; bad values are refused with the parameter.
        let vendor = Principal(tokenID: "t", name: "va", tenantID: "visionary-analytics", tenantKind: .applicationOwner, role: .tenantAdmin)
        await #expect(throws: SecurityError.forbidden(principal: vendor.actor, permission: .manageTenants)) {
            try await security.setQuota(tenantID: "visionary-analytics", siteID: nil, cpu: 100, memoryBytes: nil, storageBytes: nil, by: vendor)
        }
        #expect(try await security.quotas(tenantID: nil, by: vendor).allSatisfy { $0.tenantID == "visionary-analytics" })
        await #expect(throws: SecurityError.invalidParameter(name: "quota", reason: "give at least one of cpu, memory and storage")) {
            try await security.setQuota(tenantID: "visionary-analytics", siteID: nil, cpu: nil, memoryBytes: nil, storageBytes: nil, by: Self.admin)
        }
        await #expect(throws: SecurityError.unknownSite("xx-nope-001")) {
            try await security.setQuota(
                tenantID: "visionary-analytics", siteID: "xx-nope-001", cpu: 1, memoryBytes: nil, storageBytes: nil, by: Self.admin)
        }
        let audit = try await harness.store.auditRecords(after: 0, limit: 100)
        #expect(audit.filter { $0.action == "quotas.set" }.count == 2)
    }
}
