import Foundation
import MarqueeTestSupport
import Synchronization
import Testing

@testable import MarqueeCore

/// Lockdown, unlock and host revocation on a real (in-memory) SQLite store.
@Suite struct SiteLockdownTests {
    static let admin = Principal.bootstrapAdmin(tenantID: "mtc-platform")
    static let onCall = Principal(tokenID: "tok_o", name: "on-call", tenantID: "mtc-platform", tenantKind: .siteProvider, role: .operator)
    static let desk = Principal(tokenID: "tok_d", name: "desk", tenantID: "mtc-platform", tenantKind: .siteProvider, role: .viewer)

    @Test func aLockdownFreezesTheSiteDeletesItsTokensRefusesEnrollmentAndIsAudited() async throws {
        let fleet = Fixtures.fleet(theaters: 3)
        let store = try await Fixtures.store(with: fleet)
        let clock = ManualClock()
        let told = Mutex<[String]>([])
        let security = SecurityService(store: store, clock: clock) { hosts in told.withLock { $0 += hosts } }
        let lifecycle = HostLifecycle(store: store, now: clock.now)
        let site = try #require(fleet.sites.first)
        let (token, _) = try await lifecycle.createEnrollmentToken(siteID: site.id, ttl: .seconds(3_600))
        _ = try await lifecycle.preRegister(serialNumber: "SER-NEW", siteID: site.id, actor: "ops")

        await #expect(throws: SecurityError.forbidden(principal: Self.desk.actor, permission: .lockdown)) {
            try await security.lockdown(siteID: site.id, reason: "theft", by: Self.desk)
        }
        await #expect(throws: SecurityError.invalidParameter(name: "reason", reason: "say why (it is kept in the event and the audit trail)")) {
            try await security.lockdown(siteID: site.id, reason: "  ", by: Self.onCall)
        }
        let change = try await security.lockdown(siteID: site.id, reason: "two hosts stolen after hours", by: Self.onCall)
        #expect(change.site.status == .lockedDown && change.enrollmentTokensRevoked == 1 && change.hostIDs.count == 3)
        #expect(told.withLock { $0 } == change.hostIDs)
        #expect(try await store.site(id: site.id)?.status == .lockedDown)
        await #expect(throws: SecurityError.alreadyLockedDown(site.id)) {
            try await security.lockdown(siteID: site.id, reason: "again", by: Self.onCall)
        }

        // No host gets in: the token is gone, and a pre-registered serial is refused by the site.
        var facts = try #require(fleet.hosts.first).facts
        facts.serialNumber = "SER-OTHER"
        await #expect(throws: LifecycleError.invalidEnrollmentToken) { try await lifecycle.enroll(token: token, facts: facts) }
        facts.serialNumber = "SER-NEW"
        await #expect(throws: LifecycleError.siteLockedDown(site.id)) { try await lifecycle.enroll(token: nil, siteID: nil, facts: facts) }

        // Placement skips it.
        let events = try await store.events(EventQuery(limit: 5, subjectPrefix: "site/\(site.id)"))
        #expect(events.first?.kind == "site.lockdown" && events.first?.message.contains("two hosts stolen after hours") == true)
        #expect(events.first?.severity == .critical && events.first?.actor == Self.onCall.actor)
        let records = try await security.auditRecords(after: 0, limit: 10, by: Self.admin)
        #expect(records.last?.action == "site.lockdown" && records.last?.target == site.id && records.last?.reason == "two hosts stolen after hours")

        // Only a platform admin unlocks.
        await #expect(throws: SecurityError.forbidden(principal: Self.onCall.actor, permission: .unlock)) {
            try await security.unlock(siteID: site.id, reason: "recovered", by: Self.onCall)
        }
        let unlocked = try await security.unlock(siteID: site.id, reason: "hardware recovered, hosts re-imaged", by: Self.admin)
        #expect(unlocked.site.status == .active)
        await #expect(throws: SecurityError.notLockedDown(site.id)) { try await security.unlock(siteID: site.id, reason: "x", by: Self.admin) }
        #expect(try await security.verifyAudit(expectedHead: nil, by: Self.admin).isIntact)
    }

    @Test func aRevokedHostIsRefusedOnItsNextCall() async throws {
        let fleet = Fixtures.fleet(theaters: 2)
        let store = try await Fixtures.store(with: fleet)
        let clock = ManualClock()
        let security = SecurityService(store: store, clock: clock)
        let lifecycle = HostLifecycle(store: store, now: clock.now)
        let host = try #require(fleet.hosts.first)
        let (token, _) = try await lifecycle.createEnrollmentToken(siteID: host.siteID, ttl: .seconds(3_600))
        var facts = host.facts
        facts.serialNumber = "SER-STOLEN"
        let enrolled = try await lifecycle.enroll(token: token, facts: facts)
        _ = try await lifecycle.heartbeat(credential: enrolled.credential, facts: nil, batches: [])

        let revoked = try await security.revokeHost(hostID: enrolled.hostID, reason: "stolen", by: Self.onCall)
        #expect(revoked.status == .revoked)
        await #expect(throws: LifecycleError.invalidCredential) {
            try await lifecycle.heartbeat(credential: enrolled.credential, facts: nil, batches: [])
        }
        await #expect(throws: LifecycleError.invalidCredential) {
            try await lifecycle.desiredState(credential: enrolled.credential, after: nil, wait: .zero, clock: clock)
        }
        await #expect(throws: SecurityError.unknownHost("nope")) { try await security.revokeHost(hostID: "nope", reason: "x", by: Self.onCall) }
    }
}
