import Foundation
import MarqueeTestSupport
import Synchronization
import Testing

@testable import MarqueeCore

/// The tower refuses heartbeats it cannot apply in time instead of queueing without bound.
@Suite struct HeartbeatSheddingTests {
    /// A store whose heartbeat transactions wait until the test lets them through.
    final class GatedStore: LifecycleStore {
        let base: SQLiteFleetStore
        private let state = Mutex<(entered: Int, open: Bool, waiting: [CheckedContinuation<Void, Never>])>((0, false, []))

        init(base: SQLiteFleetStore) { self.base = base }

        var entered: Int { state.withLock { $0.entered } }

        func open() {
            let waiting = state.withLock { state in
                state.open = true
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume() }
        }

        func heartbeats(_ writes: [HeartbeatWrite], at time: Date, transition: @escaping HeartbeatTransition) async throws -> [HeartbeatOutcome] {
            await withCheckedContinuation { continuation in
                let open = state.withLock { state in
                    state.entered += 1
                    if !state.open { state.waiting.append(continuation) }
                    return state.open
                }
                if open { continuation.resume() }
            }
            return try await base.heartbeats(writes, at: time, transition: transition)
        }

        func desiredRevision(hostID: String) async throws -> Int64 { try await base.desiredRevision(hostID: hostID) }
        func bumpDesiredRevision(hostIDs: [String], at time: Date) async throws -> [String: Int64] {
            try await base.bumpDesiredRevision(hostIDs: hostIDs, at: time)
        }
        func desiredContainers(hostID: String) async throws -> (containers: [ContainerInstance], specs: [String: ContainerSpec]) {
            try await base.desiredContainers(hostID: hostID)
        }
        func upgradeOrder(hostID: String) async throws -> HostUpgradeOrder? { try await base.upgradeOrder(hostID: hostID) }
        func saveEnrollmentToken(_ token: EnrollmentTokenRecord) async throws { try await base.saveEnrollmentToken(token) }
        func enrollmentToken(hash: String) async throws -> EnrollmentTokenRecord? { try await base.enrollmentToken(hash: hash) }
        func enroll(_ facts: HostFacts, siteID: String, credentialHash: String?, status: HostStatus, at time: Date, event: Event) async throws
            -> EdgeHost
        {
            try await base.enroll(facts, siteID: siteID, credentialHash: credentialHash, status: status, at: time, event: event)
        }
        func host(serialNumber: String) async throws -> EdgeHost? { try await base.host(serialNumber: serialNumber) }
        func savePreRegistration(_ registration: PreRegistration, event: Event) async throws {
            try await base.savePreRegistration(registration, event: event)
        }
        func preRegistration(serialNumber: String) async throws -> PreRegistration? { try await base.preRegistration(serialNumber: serialNumber) }
        func approval(hostID: String) async throws -> HostApproval? { try await base.approval(hostID: hostID) }
        func decide(_ approval: HostApproval, status: HostStatus, event: Event) async throws {
            try await base.decide(approval, status: status, event: event)
        }
        func host(credentialHash: String) async throws -> EdgeHost? { try await base.host(credentialHash: credentialHash) }
        func markOffline(lastSeenBefore cutoff: Date, at time: Date) async throws -> [EdgeHost] {
            try await base.markOffline(lastSeenBefore: cutoff, at: time)
        }
    }

    private static func write(_ name: String) -> HeartbeatWrite {
        HeartbeatWrite(credentialHash: Secret.hash(name), facts: nil, batches: [])
    }

    private static func isBusy(_ result: Result<HeartbeatOutcome, any Error>) -> Bool {
        if case .failure(let error) = result, case LifecycleError.busy = error { return true }
        return false
    }

    private static func waitUntil(_ condition: () async -> Bool) async {
        while await !condition() { await Task.yield() }
    }

    @Test func heartbeatsThatWaitedTooLongAreRefusedAndLaterOnesAnswered() async throws {
        let store = GatedStore(base: try await Fixtures.store(with: Fixtures.fleet(theaters: 1)))
        let elapsed = Mutex<Duration>(.zero)
        let batcher = HeartbeatBatcher(
            store: store, now: { Fixtures.now }, transition: HostLifecycle<SQLiteFleetStore>.transition,
            shedding: HeartbeatShedding(maximumWait: .seconds(8), maximumQueued: 100), elapsed: { elapsed.withLock { $0 } })

        // The first heartbeat holds the writer; two more queue behind it.
        async let first = Result { try await batcher.submit(Self.write("a")) }
        await Self.waitUntil { store.entered == 1 }
        async let second = Result { try await batcher.submit(Self.write("b")) }
        async let third = Result { try await batcher.submit(Self.write("c")) }
        await Self.waitUntil { await batcher.queued == 2 }

        // Nine seconds later the queue is too old: a newcomer is refused at once.
        elapsed.withLock { $0 = .seconds(9) }
        let late = await Result { try await batcher.submit(Self.write("d")) }
        #expect(Self.isBusy(late))

        // The writer frees up: the one in flight is answered, the two stale ones are refused unapplied.
        store.open()
        let results = await [first, second, third]
        #expect(!Self.isBusy(results[0]))
        #expect(Self.isBusy(results[1]) && Self.isBusy(results[2]))
        #expect(store.entered == 1)

        // With the queue drained the tower answers again.
        let fresh = await Result { try await batcher.submit(Self.write("e")) }
        guard case .success(.invalidCredential) = fresh else {
            Issue.record("expected an answer, got \(fresh)")
            return
        }
        #expect(LifecycleError.busy(retryAfterSeconds: 8).description.contains("retry in 8 s"))
    }

    /// In-process callers (tests, benchmarks) cannot retry: without a policy nothing is refused.
    @Test func withoutAPolicyEveryHeartbeatWaitsItsTurn() async throws {
        let store = GatedStore(base: try await Fixtures.store(with: Fixtures.fleet(theaters: 1)))
        let elapsed = Mutex<Duration>(.zero)
        let batcher = HeartbeatBatcher(
            store: store, now: { Fixtures.now }, transition: HostLifecycle<SQLiteFleetStore>.transition, shedding: nil,
            elapsed: { elapsed.withLock { $0 } })
        async let first = Result { try await batcher.submit(Self.write("a")) }
        await Self.waitUntil { store.entered == 1 }
        async let second = Result { try await batcher.submit(Self.write("b")) }
        await Self.waitUntil { await batcher.queued == 1 }
        elapsed.withLock { $0 = .seconds(600) }
        async let third = Result { try await batcher.submit(Self.write("c")) }
        await Self.waitUntil { await batcher.queued == 2 }
        store.open()
        let results = await [first, second, third]
        #expect(results.allSatisfy { !Self.isBusy($0) })
    }

    @Test func aFullQueueRefusesNewcomersAtOnce() async throws {
        let store = GatedStore(base: try await Fixtures.store(with: Fixtures.fleet(theaters: 1)))
        let batcher = HeartbeatBatcher(
            store: store, now: { Fixtures.now }, transition: HostLifecycle<SQLiteFleetStore>.transition,
            shedding: HeartbeatShedding(maximumWait: .seconds(8), maximumQueued: 2), elapsed: { .zero })
        async let first = Result { try await batcher.submit(Self.write("a")) }
        await Self.waitUntil { store.entered == 1 }
        async let second = Result { try await batcher.submit(Self.write("b")) }
        async let third = Result { try await batcher.submit(Self.write("c")) }
        await Self.waitUntil { await batcher.queued == 2 }
        #expect(Self.isBusy(await Result { try await batcher.submit(Self.write("d")) }))
        store.open()
        let results = await [first, second, third]
        #expect(results.allSatisfy { !Self.isBusy($0) })
    }
}

extension Result where Failure == any Error {
    /// Captures an async throwing call's outcome.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
