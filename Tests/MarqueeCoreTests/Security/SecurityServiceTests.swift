import Foundation
import GRDB
import MarqueeTestSupport
import Testing

@testable import MarqueeCore

/// Tenants, tokens and the audit trail on a real (in-memory) SQLite store.
@Suite struct SecurityServiceTests {
    static let admin = Principal.bootstrapAdmin(tenantID: "mtc-platform")

    private func service() async throws -> (SecurityService<SQLiteFleetStore>, SQLiteFleetStore, ManualClock) {
        let store = try await Fixtures.store(with: Fixtures.fleet(theaters: 2))
        let clock = ManualClock()
        return (SecurityService(store: store, clock: clock), store, clock)
    }

    @Test func thePolicyKeepsInfrastructureWithSiteProvidersAndUnlockWithPlatformAdmins() {
        #expect(Principal.allows(role: .viewer, kind: .siteProvider, .readInfrastructure))
        #expect(!Principal.allows(role: .viewer, kind: .siteProvider, .deploy))
        #expect(!Principal.allows(role: .tenantAdmin, kind: .applicationOwner, .readInfrastructure))
        #expect(!Principal.allows(role: .operator, kind: .applicationOwner, .upgrade))
        #expect(Principal.allows(role: .operator, kind: .applicationOwner, .deploy))
        #expect(Principal.allows(role: .operator, kind: .siteProvider, .lockdown))
        #expect(!Principal.allows(role: .operator, kind: .siteProvider, .unlock))
        #expect(!Principal.allows(role: .tenantAdmin, kind: .siteProvider, .manageTenants))
        #expect(Principal.allows(role: .platformAdmin, kind: .siteProvider, .unlock))
        // platform-admin does not exist in application-owner tenants: it allows nothing there.
        #expect(Permission.allCases.allSatisfy { !Principal.allows(role: .platformAdmin, kind: .applicationOwner, $0) })
    }

    @Test func aTokenWorksUntilItExpiresOrIsRevokedAndIsStoredOnlyHashed() async throws {
        let (security, store, clock) = try await service()
        let issued = try await security.createToken(
            tenantID: "visionary-analytics", role: .operator, name: "vendor-ci", ttl: .seconds(3_600), by: Self.admin)
        #expect(issued.secret.hasPrefix("mqt_") && issued.token.id.hasPrefix("tok_"))
        let principal = try #require(try await security.authenticate(secret: issued.secret))
        #expect(
            principal
                == Principal(
                    tokenID: issued.token.id, name: "vendor-ci", tenantID: "visionary-analytics", tenantKind: .applicationOwner, role: .operator))
        #expect(try await security.authenticate(secret: issued.secret + "0") == nil)
        // Nowhere in the database is the secret itself.
        let stored = try await store.writer.read { db in try String.fetchAll(db, sql: "SELECT secretHash || name || id FROM apiToken") }
        #expect(!stored.contains { $0.contains(issued.secret) })

        clock.advance(by: 3_601)
        #expect(try await security.authenticate(secret: issued.secret) == nil)

        let second = try await security.createToken(
            tenantID: "mtc-platform", role: .viewer, name: "service-desk", ttl: .seconds(86_400), by: Self.admin)
        #expect(try await security.authenticate(secret: second.secret) != nil)
        let revoked = try await security.revokeToken(id: second.token.id, reason: "laptop lost", by: Self.admin)
        #expect(revoked.revokedAt != nil)
        #expect(try await security.authenticate(secret: second.secret) == nil)
        await #expect(throws: SecurityError.unknownToken("tok_nope")) { try await security.revokeToken(id: "tok_nope", reason: nil, by: Self.admin) }
    }

    @Test func tenantAdminsStayInTheirTenantAndBelowTheirRole() async throws {
        let (security, _, _) = try await service()
        let vendorAdmin = Principal(
            tokenID: "tok_v", name: "vendor-admin", tenantID: "visionary-analytics", tenantKind: .applicationOwner, role: .tenantAdmin)
        let own = try await security.createToken(
            tenantID: "visionary-analytics", role: .viewer, name: "vendor-desk", ttl: .seconds(600), by: vendorAdmin)
        #expect(own.token.createdBy == "vendor-admin (tenant-admin@visionary-analytics)")
        await #expect(throws: SecurityError.otherTenant(principal: vendorAdmin.actor, tenant: "mtc-platform")) {
            try await security.createToken(tenantID: "mtc-platform", role: .viewer, name: "x", ttl: .seconds(600), by: vendorAdmin)
        }
        await #expect(throws: SecurityError.self) {
            try await security.createToken(tenantID: "visionary-analytics", role: .platformAdmin, name: "x", ttl: .seconds(600), by: vendorAdmin)
        }
        await #expect(throws: SecurityError.roleNotAllowed(role: .platformAdmin, kind: .applicationOwner)) {
            try await security.createToken(tenantID: "visionary-analytics", role: .platformAdmin, name: "x", ttl: .seconds(600), by: Self.admin)
        }
        let viewer = Principal(tokenID: "tok_d", name: "desk", tenantID: "mtc-platform", tenantKind: .siteProvider, role: .viewer)
        await #expect(throws: SecurityError.forbidden(principal: viewer.actor, permission: .manageTokens)) {
            try await security.tokens(tenantID: nil, by: viewer)
        }
        // The vendor's admin sees its own tokens only, whatever it asks for.
        #expect(try await security.tokens(tenantID: nil, by: vendorAdmin).map(\.tenantID) == ["visionary-analytics"])
        await #expect(throws: SecurityError.self) {
            try await security.createTenant(Tenant(id: "rogue", name: "Rogue", kind: .siteProvider), by: vendorAdmin)
        }
        _ = try await security.createTenant(Tenant(id: "acme-ads", name: "Acme Ads", kind: .applicationOwner), by: Self.admin)
        await #expect(throws: SecurityError.tenantExists("acme-ads")) {
            try await security.createTenant(Tenant(id: "acme-ads", name: "Acme Ads", kind: .applicationOwner), by: Self.admin)
        }
        await #expect(throws: SecurityError.invalidTenantID("Bad ID")) {
            try await security.createTenant(Tenant(id: "Bad ID", name: "x", kind: .applicationOwner), by: Self.admin)
        }
    }

    @Test func theAuditTrailRecordsWhoDidWhatAndDetectsEditsRemovalsAndTruncation() async throws {
        let (security, store, clock) = try await service()
        let issued = try await security.createToken(
            tenantID: "mtc-platform", role: .operator, name: "night-shift", ttl: .seconds(600), by: Self.admin)
        clock.advance(by: 5)
        _ = try await security.revokeToken(id: issued.token.id, reason: "shift over", by: Self.admin)
        for index in 0..<5 {
            try await security.record(
                AuditEntry(time: clock.now(), actor: "alice", action: "POST /v1/apply", target: "/v1/apply", reason: "change \(index)"))
        }
        let records = try await security.auditRecords(after: 0, limit: 100, by: Self.admin)
        #expect(records.map(\.sequence) == Array(1...7))
        #expect(records[0].action == "tokens.create" && records[0].actor == Self.admin.actor && records[0].target == issued.token.id)
        #expect(records[1].action == "tokens.revoke" && records[1].reason == "shift over")
        let intact = try await security.verifyAudit(expectedHead: nil, by: Self.admin)
        #expect(intact.isIntact && intact.records == 7 && intact.head == records[6].hash)
        // A record's secret is never part of it.
        #expect(!records.contains { "\($0)".contains(issued.secret) })

        // Editing a field breaks that record's hash.
        try await store.writer.write { db in try db.execute(sql: "UPDATE auditRecord SET actor = 'mallory' WHERE sequence = 3") }
        let edited = try await security.verifyAudit(expectedHead: nil, by: Self.admin)
        #expect(edited.problem?.sequence == 3 && edited.problem?.reason.contains("edited") == true)
        try await store.writer.write { db in try db.execute(sql: "UPDATE auditRecord SET actor = 'alice' WHERE sequence = 3") }
        #expect(try await security.verifyAudit(expectedHead: nil, by: Self.admin).isIntact)

        // Rewriting a record and its hash breaks the next record's link.
        let forged = AuditRecord.next(after: records[2], time: records[3].time, actor: "mallory", action: "nothing", target: "-", reason: nil)
        try await store.writer.write { db in
            try db.execute(
                sql: "UPDATE auditRecord SET actor = ?, action = ?, target = ?, reason = NULL, hash = ? WHERE sequence = 4",
                arguments: [forged.actor, forged.action, forged.target, forged.hash])
        }
        let rewritten = try await security.verifyAudit(expectedHead: nil, by: Self.admin)
        #expect(rewritten.problem?.sequence == 5 && rewritten.problem?.reason.contains("rewritten") == true)

        // Removing a record leaves a gap; cutting the end off is found against a head kept elsewhere.
        let (fresh, freshStore, _) = try await service()
        for index in 0..<4 { try await fresh.record(AuditEntry(time: Fixtures.now, actor: "bob", action: "x", target: "t\(index)")) }
        let head = try await fresh.verifyAudit(expectedHead: nil, by: Self.admin).head
        try await freshStore.writer.write { db in try db.execute(sql: "DELETE FROM auditRecord WHERE sequence = 2") }
        #expect(try await fresh.verifyAudit(expectedHead: nil, by: Self.admin).problem?.reason.contains("removed") == true)
        try await freshStore.writer.write { db in try db.execute(sql: "DELETE FROM auditRecord WHERE sequence >= 2") }
        #expect(try await fresh.verifyAudit(expectedHead: nil, by: Self.admin).isIntact)
        let truncated = try await fresh.verifyAudit(expectedHead: head, by: Self.admin)
        #expect(truncated.problem?.reason.contains("cut off") == true)
    }
}
