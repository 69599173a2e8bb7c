import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

/// A heartbeat that changes only the time is written to `host.lastSeen` at most once a second (of
/// the heartbeat clock); the offline sweep writes every recorded time before it judges; a status
/// change is written at once.
@Suite struct LastSeenBufferTests {
    @Test func routineHeartbeatsAreWrittenOnceASecondAndTheSweepSeesEveryOne() async throws {
        let store = try await Fixtures.store(with: Fixtures.fleet(theaters: 2))
        let clock = ManualClock()
        let lifecycle = HostLifecycle(store: store, heartbeatInterval: .seconds(10), missedHeartbeats: 3, now: clock.now)
        let site = try #require(try await store.sites().first).id
        let (token, _) = try await lifecycle.createEnrollmentToken(siteID: site, ttl: .seconds(3_600))
        let enrollment = try await lifecycle.enroll(token: token, facts: HostLifecycleTests.facts)
        let start = clock.now()
        func lastSeen() async throws -> Date? { try await store.host(id: enrollment.hostID)?.lastSeen }
        func beat(after seconds: TimeInterval) async throws {
            clock.advance(by: seconds)
            #expect(try await lifecycle.heartbeat(credential: enrollment.credential, facts: nil).status == .online)
        }

        try await beat(after: 5)  // the first write of this database's buffer: at once
        #expect(try await lastSeen() == start.addingTimeInterval(5))
        try await beat(after: 0.5)  // within the second: the row is not rewritten
        #expect(try await lastSeen() == start.addingTimeInterval(5))
        try await beat(after: 0.6)  // a second on: written, with every time recorded since
        #expect(try await lastSeen() == start.addingTimeInterval(6.1))

        // Recorded, not written — and the sweep writes it before it judges, so the host is not silent.
        try await beat(after: 0.2)
        #expect(try await lastSeen() == start.addingTimeInterval(6.1))
        let cutoff = start.addingTimeInterval(6.2)
        #expect(try await store.markOffline(lastSeenBefore: cutoff, at: clock.now()).map(\.id).contains(enrollment.hostID) == false)
        #expect(try await lastSeen() == start.addingTimeInterval(6.3))

        // Offline, then back: a status change writes its time at once.
        clock.advance(by: 60)
        #expect(try await store.markOffline(lastSeenBefore: clock.now(), at: clock.now()).map(\.id).contains(enrollment.hostID))
        try await beat(after: 0.1)
        let back = try #require(try await lastSeen())
        #expect(abs(back.timeIntervalSince(clock.now())) < 0.001)
    }
}
