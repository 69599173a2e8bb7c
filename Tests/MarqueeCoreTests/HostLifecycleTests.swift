import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

@Suite struct HostLifecycleTests {
    static let facts = HostFacts(
        hostname: "edge-a", serialNumber: "SER-A", osName: "Debian", osVersion: "12", kernelRelease: "6.1.0-18-amd64",
        runtimeName: "containerd", runtimeVersion: "1.7.13", agentVersion: "0.1.0", cpuCores: 8, memoryBytes: 16 << 30,
        diskBytes: 500_000_000_000)

    private func lifecycle() async throws -> (HostLifecycle<SQLiteFleetStore>, SQLiteFleetStore, ManualClock) {
        let store = try await Fixtures.store(with: Fixtures.fleet(theaters: 3))
        let clock = ManualClock()
        return (HostLifecycle(store: store, heartbeatInterval: .seconds(10), missedHeartbeats: 3, now: clock.now), store, clock)
    }

    @Test func aValidTokenEnrollsTheHostOnlineWithItsOwnCredential() async throws {
        let (lifecycle, store, _) = try await lifecycle()
        let site = try #require(try await store.sites().first).id
        let (token, expires) = try await lifecycle.createEnrollmentToken(siteID: site, ttl: .seconds(3_600))
        #expect(expires == Fixtures.now.addingTimeInterval(3_600))
        #expect(token.hasPrefix("mqe_"))

        let enrollment = try await lifecycle.enroll(token: token, facts: Self.facts)
        #expect(enrollment.hostID == "\(site)-h4")
        #expect(enrollment.credential.hasPrefix("mqh_"))
        let host = try #require(try await store.host(id: enrollment.hostID))
        #expect(host.status == .online && host.kernelRelease == "6.1.0-18-amd64" && host.lastSeen == Fixtures.now)
        // Only hashes are stored
        #expect(try await store.enrollmentToken(hash: token) == nil)
        #expect(try await store.host(credentialHash: enrollment.credential) == nil)
        #expect(try await store.events(EventQuery(subjectPrefix: "host/\(enrollment.hostID)")).map(\.kind) == ["host.enrolled"])

        // The same serial enrolling again keeps its host id
        let again = try await lifecycle.enroll(token: token, facts: Self.facts)
        #expect(again.hostID == enrollment.hostID)
        await #expect(throws: LifecycleError.invalidCredential) { try await lifecycle.heartbeat(credential: enrollment.credential, facts: nil) }
    }

    @Test func badAndExpiredTokensAreRefused() async throws {
        let (lifecycle, store, clock) = try await lifecycle()
        let site = try #require(try await store.sites().first).id
        await #expect(throws: LifecycleError.invalidEnrollmentToken) { try await lifecycle.enroll(token: "mqe_nope", facts: Self.facts) }
        let (token, _) = try await lifecycle.createEnrollmentToken(siteID: site, ttl: .seconds(60))
        clock.advance(by: 61)
        await #expect(throws: LifecycleError.invalidEnrollmentToken) { try await lifecycle.enroll(token: token, facts: Self.facts) }
        await #expect(throws: LifecycleError.unknownSite("xx-nope-001")) {
            try await lifecycle.createEnrollmentToken(siteID: "xx-nope-001", ttl: .seconds(60))
        }
    }

    @Test func aSilentHostGoesOfflineAndComesBackOnItsNextHeartbeat() async throws {
        let (lifecycle, store, clock) = try await lifecycle()
        let site = try #require(try await store.sites().first).id
        let (token, _) = try await lifecycle.createEnrollmentToken(siteID: site, ttl: .seconds(3_600))
        let enrollment = try await lifecycle.enroll(token: token, facts: Self.facts)

        clock.advance(by: 25)
        #expect(try await lifecycle.heartbeat(credential: enrollment.credential, facts: nil).status == .online)
        clock.advance(by: 29)
        #expect(try await lifecycle.sweep().map(\.id).contains(enrollment.hostID) == false)
        clock.advance(by: 2)
        #expect(try await lifecycle.sweep().map(\.id).contains(enrollment.hostID))
        #expect(try await store.host(id: enrollment.hostID)?.status == .offline)
        // A second sweep does not repeat the event
        #expect(try await lifecycle.sweep().map(\.id).contains(enrollment.hostID) == false)

        var newer = Self.facts
        newer.kernelRelease = "6.1.0-21-amd64"
        #expect(try await lifecycle.heartbeat(credential: enrollment.credential, facts: newer).status == .online)
        let host = try #require(try await store.host(id: enrollment.hostID))
        #expect(host.status == .online && host.kernelRelease == "6.1.0-21-amd64")
        let kinds = try await store.events(EventQuery(subjectPrefix: "host/\(enrollment.hostID)")).map(\.kind)
        #expect(kinds == ["host.online", "host.offline", "host.enrolled"])
        await #expect(throws: LifecycleError.invalidCredential) { try await lifecycle.heartbeat(credential: "mqh_forged", facts: nil) }
    }

    private func batch(_ sequence: Int64, _ records: [ReportRecord]) -> ReportBatch {
        ReportBatch(sequence: sequence, createdAt: Fixtures.now, records: records)
    }

    @Test func reportBatchesAreIngestedExactlyOnceInSequence() async throws {
        let (lifecycle, store, clock) = try await lifecycle()
        let host = try #require(try await store.hosts(siteID: nil, status: .online).first)
        let container = try #require(try await store.containers(hostID: host.id).first)
        let site = host.siteID
        let (token, _) = try await lifecycle.createEnrollmentToken(siteID: site, ttl: .seconds(3_600))
        let facts = host.facts
        let enrollment = try await lifecycle.enroll(token: token, facts: facts)
        #expect(enrollment.hostID == host.id && enrollment.acknowledgedSequence == 0)

        let metrics = ReportRecord.hostMetrics(HostMetricsReport(load1: 0.5, memoryAvailableBytes: 1 << 30, diskFreeBytes: 1 << 40), at: Fixtures.now)
        let failed = ReportRecord.container(ContainerStateReport(id: container.id, state: .failed, restarts: 4), at: Fixtures.now)
        clock.advance(by: 5)
        var reply = try await lifecycle.heartbeat(credential: enrollment.credential, facts: nil, batches: [batch(1, [metrics]), batch(2, [failed])])
        #expect(reply.acknowledgedSequence == 2)
        #expect(try await store.containers(hostID: host.id).first { $0.id == container.id }?.state == .failed)
        #expect(try await store.latestMetrics(hostID: host.id)?.metrics.load1 == 0.5)

        // The response was lost: the agent sends 1 and 2 again, with 3. Only 3 is applied.
        let revision = try await store.revision()
        reply = try await lifecycle.heartbeat(
            credential: enrollment.credential, facts: nil, batches: [batch(1, [metrics]), batch(2, [failed]), batch(3, [metrics])])
        #expect(reply.acknowledgedSequence == 3)
        var cursor = try #require(try await store.reportCursor(hostID: host.id))
        #expect(cursor.lastSequence == 3 && cursor.batches == 3 && cursor.records == 3 && cursor.duplicates == 2 && cursor.missing == 0)
        // Nothing a reader can see changed (metrics only): the fleet revision stays, so consoles do not reload
        #expect(try await store.revision() == revision)

        // A gap (an outbox that overflowed) is recorded, with an event
        reply = try await lifecycle.heartbeat(credential: enrollment.credential, facts: nil, batches: [batch(7, [metrics])])
        cursor = try #require(try await store.reportCursor(hostID: host.id))
        #expect(reply.acknowledgedSequence == 7 && cursor.missing == 3 && cursor.batches == 4)
        #expect(try await store.events(EventQuery(subjectPrefix: "host/\(host.id)")).first?.kind == "host.reports_lost")

        // Re-enrolling tells the agent where the tower's cursor is, so a wiped agent does not reuse numbers
        #expect(try await lifecycle.enroll(token: token, facts: facts).acknowledgedSequence == 7)

        await #expect(throws: LifecycleError.invalidParameter(name: "batches[0].sequence", reason: "must be 1 or more")) {
            try await lifecycle.heartbeat(credential: enrollment.credential, facts: nil, batches: [batch(0, [])])
        }
    }

    @Test func aHostWithoutATokenWaitsForApprovalOrIsApprovedByItsPreRegisteredSerial() async throws {
        let (lifecycle, store, _) = try await lifecycle()
        let site = try #require(try await store.sites().first).id
        var facts = Self.facts
        facts.serialNumber = "SER-WAIT"

        // Unknown serial, no token: pending at the site it names, no credential
        await #expect(
            throws: LifecycleError.invalidParameter(name: "site", reason: "a host without a token or a pre-registered serial must name its site")
        ) {
            try await lifecycle.enroll(token: nil, siteID: nil, facts: facts)
        }
        guard case .pending(let hostID, site) = try await lifecycle.enroll(token: nil, siteID: site, facts: facts) else {
            Issue.record("expected pending")
            return
        }
        #expect(try await store.host(id: hostID)?.status == .pending)
        #expect(try await lifecycle.enroll(token: nil, siteID: site, facts: facts) == .pending(hostID: hostID, siteID: site))

        // Approved: the next call gets the credential and the host is online
        let approved = try await lifecycle.approve(hostID: hostID, actor: "alice@console")
        #expect(approved.status == .pending)
        await #expect(throws: LifecycleError.notPending(hostID: hostID, status: .pending)) {
            try await lifecycle.approve(hostID: hostID, actor: "bob")
        }
        guard case .enrolled(let enrollment) = try await lifecycle.enroll(token: nil, siteID: site, facts: facts) else {
            Issue.record("expected enrolled")
            return
        }
        #expect(enrollment.hostID == hostID && enrollment.credential.hasPrefix("mqh_"))
        #expect(try await store.host(id: hostID)?.status == .online)
        let kinds = try await store.events(EventQuery(subjectPrefix: "host/\(hostID)")).map(\.kind)
        #expect(kinds == ["host.enrolled", "host.approved", "host.pending"])
        // An enrolled serial cannot be claimed again without a token
        await #expect(throws: LifecycleError.serialAlreadyEnrolled(serial: "SER-WAIT", hostID: hostID)) {
            try await lifecycle.enroll(token: nil, siteID: site, facts: facts)
        }

        // Rejected: revoked, and refused from then on
        facts.serialNumber = "SER-NO"
        guard case .pending(let rejectedID, _) = try await lifecycle.enroll(token: nil, siteID: site, facts: facts) else { return }
        #expect(try await lifecycle.reject(hostID: rejectedID, actor: "alice").status == .revoked)
        await #expect(throws: LifecycleError.enrollmentRejected(hostID: rejectedID)) {
            try await lifecycle.enroll(token: nil, siteID: site, facts: facts)
        }
        await #expect(throws: LifecycleError.unknownHost("nope")) { try await lifecycle.approve(hostID: "nope", actor: "alice") }

        // Pre-registered serial: approved at its site on the first call, no token, no site needed
        facts.serialNumber = "SER-PRE"
        _ = try await lifecycle.preRegister(serialNumber: "SER-PRE", siteID: site, actor: "alice")
        guard case .enrolled(let preEnrolled) = try await lifecycle.enroll(token: nil, siteID: nil, facts: facts) else {
            Issue.record("expected enrolled")
            return
        }
        #expect(preEnrolled.siteID == site)
        await #expect(throws: LifecycleError.unknownSite("xx-nope-001")) {
            try await lifecycle.preRegister(serialNumber: "SER-X", siteID: "xx-nope-001", actor: "alice")
        }
    }

    /// A clock whose waits end at once (the long-poll's timeout path, without waiting for time).
    struct ImmediateClock: FleetClock {
        func now() -> Date { Fixtures.now }
        func sleep(for duration: Duration) async throws { await Task.yield() }
    }

    @Test func desiredStateLongPollWakesOnChangeAndOtherwiseTimesOut() async throws {
        let (lifecycle, store, _) = try await lifecycle()
        let host = try #require(try await store.hosts(siteID: nil, status: .online).first)
        let (token, _) = try await lifecycle.createEnrollmentToken(siteID: host.siteID, ttl: .seconds(60))
        let credential = try await lifecycle.enroll(token: token, facts: host.facts).credential

        var state = try await lifecycle.desiredState(credential: credential, after: nil, wait: .zero, clock: SystemClock())
        #expect(state.revision == 0 && state.hostID == host.id)
        #expect(state.containers == (try await store.containers(hostID: host.id)) && !state.containers.isEmpty)
        #expect(try await lifecycle.heartbeat(credential: credential, facts: nil).desiredRevision == 0)

        // Nothing changes: the poll ends at its timeout with the same revision
        state = try await lifecycle.desiredState(credential: credential, after: 0, wait: .seconds(30), clock: ImmediateClock())
        #expect(state.revision == 0)

        // A change wakes a waiting poll at once (the wait is far longer than the test)
        let waiting = Task { try await lifecycle.desiredState(credential: credential, after: 0, wait: .seconds(600), clock: SystemClock()) }
        while await lifecycle.desiredStateNotifier.waiting == 0 { await Task.yield() }
        #expect(try await lifecycle.desiredStateChanged(hostIDs: [host.id]) == [host.id: 1])
        #expect(try await waiting.value.revision == 1)
        #expect(await lifecycle.desiredStateNotifier.waiting == 0)
        // The heartbeat tells the agent the revision moved
        #expect(try await lifecycle.heartbeat(credential: credential, facts: nil).desiredRevision == 1)
        // An agent behind the current revision gets the state at once
        #expect(try await lifecycle.desiredState(credential: credential, after: 0, wait: .seconds(600), clock: SystemClock()).revision == 1)
        await #expect(throws: LifecycleError.invalidCredential) {
            try await lifecycle.desiredState(credential: "mqh_forged", after: nil, wait: .zero, clock: SystemClock())
        }
    }
}
