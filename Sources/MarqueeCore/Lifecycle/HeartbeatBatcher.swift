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

/// Group commit for heartbeats: requests that arrive while a write is running are applied together
/// in the next transaction, so a busy tower pays one commit (one fsync) per group, not per host,
/// without adding latency when it is idle.
actor HeartbeatBatcher<Store: LifecycleStore> {
    private let store: Store
    private let now: @Sendable () -> Date
    private let transition: HeartbeatTransition
    private var queue: [(HeartbeatWrite, CheckedContinuation<HeartbeatOutcome, any Error>)] = []
    private var draining = false
    /// The most heartbeats in one transaction.
    static var groupLimit: Int { 256 }

    init(store: Store, now: @escaping @Sendable () -> Date, transition: @escaping HeartbeatTransition) {
        self.store = store
        self.now = now
        self.transition = transition
    }

    func submit(_ write: HeartbeatWrite) async throws -> HeartbeatOutcome {
        try await withCheckedThrowingContinuation { continuation in
            queue.append((write, continuation))
            if !draining {
                draining = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let group = Array(queue.prefix(Self.groupLimit))
            queue.removeFirst(group.count)
            do {
                let outcomes = try await store.heartbeats(group.map(\.0), at: now(), transition: transition)
                for (index, outcome) in outcomes.enumerated() { group[index].1.resume(returning: outcome) }
            } catch {
                for (_, continuation) in group { continuation.resume(throwing: error) }
            }
        }
        draining = false
    }
}
