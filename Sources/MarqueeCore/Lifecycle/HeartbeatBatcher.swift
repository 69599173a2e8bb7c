import Foundation

/// One agent heartbeat as the store applies it.
public struct HeartbeatWrite: Sendable {
    public var credentialHash: String
    public var facts: HostFacts?
    public var batches: [ReportBatch]

    public init(credentialHash: String, facts: HostFacts?, batches: [ReportBatch]) {
        self.credentialHash = credentialHash
        self.facts = facts
        self.batches = batches
    }
}

/// What the store did with one heartbeat.
public enum HeartbeatOutcome: Sendable {
    case accepted(hostID: String, status: HostStatus, ingest: IngestResult, desiredRevision: Int64)
    /// No host holds this credential, or it was revoked.
    case invalidCredential
}

/// How a heartbeat changes a host's status: the rule lives in ``HostLifecycle``, the store applies it.
public typealias HeartbeatTransition = @Sendable (_ hostID: String, _ status: HostStatus, _ time: Date) -> (status: HostStatus, event: Event?)

/// When a tower refuses heartbeats instead of queueing them: a server facing a fleet turns this on
/// (`marquee tower`, `marquee demo`); in-process callers such as tests and benchmarks, which
/// cannot retry, leave it off.
public struct HeartbeatShedding: Sendable {
    /// A heartbeat that waited longer than this is refused (agents give up after 15 s).
    public var maximumWait: Duration
    /// A heartbeat that arrives behind this many queued ones is refused at once.
    public var maximumQueued: Int

    public init(maximumWait: Duration = .seconds(8), maximumQueued: Int = 2_048) {
        self.maximumWait = maximumWait
        self.maximumQueued = maximumQueued
    }

    /// The tower's policy: refuse after 8 s of waiting or behind 2,048 queued heartbeats.
    public static let tower = HeartbeatShedding()
}

/// The origin of the batcher's queue-wait clock (a clock that never jumps).
private let monotonicOrigin = ContinuousClock.now

/// Group commit for heartbeats: requests that arrive while a write is running are applied together
/// in the next transaction, so a busy tower pays one commit (one fsync) per group, not per host,
/// without adding latency when it is idle.
///
/// Under overload, with a ``HeartbeatShedding`` policy, it sheds instead of queueing without bound:
/// a heartbeat that waited longer than its `maximumWait` (agents give up after 15 s, and work done
/// for an agent that stopped listening is wasted and redone) or that arrives behind `maximumQueued`
/// others is refused with
/// ``LifecycleError/busy(retryAfterSeconds:)`` — a 503 the agent backs off from — so the heartbeats
/// that are applied still answer in time.
actor HeartbeatBatcher<Store: LifecycleStore> {
    private let store: Store
    private let now: @Sendable () -> Date
    private let transition: HeartbeatTransition
    /// Real elapsed time for queue waits (not the fleet clock, which tests move by hours).
    private let elapsed: @Sendable () -> Duration
    private let shedding: HeartbeatShedding?
    private var queue: [Pending] = []
    private var draining = false
    /// The most heartbeats in one transaction.
    static var groupLimit: Int { 256 }

    private struct Pending {
        var write: HeartbeatWrite
        var arrived: Duration
        var continuation: CheckedContinuation<HeartbeatOutcome, any Error>
    }

    init(
        store: Store, now: @escaping @Sendable () -> Date, transition: @escaping HeartbeatTransition, shedding: HeartbeatShedding?,
        elapsed: @escaping @Sendable () -> Duration = { ContinuousClock.now - monotonicOrigin }
    ) {
        self.store = store
        self.now = now
        self.transition = transition
        self.shedding = shedding
        self.elapsed = elapsed
    }

    /// Heartbeats waiting for the next transaction.
    var queued: Int { queue.count }

    /// How long the oldest heartbeat not yet applied has waited (real time), or `nil` with none queued.
    var oldestWait: Duration? { queue.first.map { elapsed() - $0.arrived } }

    func submit(_ write: HeartbeatWrite) async throws -> HeartbeatOutcome {
        let arrived = elapsed()
        if let shedding, queue.count >= shedding.maximumQueued || (queue.first.map { arrived - $0.arrived > shedding.maximumWait } ?? false) {
            IngestMetrics.recordShed(1)
            throw LifecycleError.busy(retryAfterSeconds: retryAfter)
        }
        return try await withCheckedThrowingContinuation { continuation in
            queue.append(Pending(write: write, arrived: arrived, continuation: continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    /// A hint for refused agents: about how long the queue takes to clear, at least 2 s.
    private var retryAfter: Int { max(2, Int(shedding?.maximumWait.components.seconds ?? 0)) }

    private func drain() async {
        while !queue.isEmpty {
            // Refuse what waited too long: its agent has given up or is about to.
            let time = elapsed()
            let stale = shedding.map { shedding in queue.prefix { time - $0.arrived > shedding.maximumWait } } ?? []
            if !stale.isEmpty {
                queue.removeFirst(stale.count)
                IngestMetrics.recordShed(stale.count)
                for pending in stale { pending.continuation.resume(throwing: LifecycleError.busy(retryAfterSeconds: retryAfter)) }
                continue
            }
            let group = Array(queue.prefix(Self.groupLimit))
            queue.removeFirst(group.count)
            do {
                let outcomes = try await store.heartbeats(group.map(\.write), at: now(), transition: transition)
                for (index, outcome) in outcomes.enumerated() { group[index].continuation.resume(returning: outcome) }
            } catch {
                for pending in group { pending.continuation.resume(throwing: error) }
            }
        }
        draining = false
    }
}
