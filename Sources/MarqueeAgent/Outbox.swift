import Foundation
import MarqueeCore

/// Where an agent keeps report batches until the tower has acknowledged them.
///
/// Batches are numbered 1, 2, 3, … per host and never renumbered; ``pending(limit:)`` returns
/// them oldest first so the tower receives them in order.
public protocol Outbox: Sendable {
    /// Stores `records` as the next batch and returns it.
    @discardableResult
    func append(_ records: [ReportRecord], at time: Date) async throws -> ReportBatch
    /// The oldest unacknowledged batches.
    func pending(limit: Int) async throws -> [ReportBatch]
    /// Drops every batch up to and including `sequence`.
    func acknowledge(through sequence: Int64) async throws
    /// Makes sure new batches are numbered above `sequence` (the tower's cursor after enrolling,
    /// so an agent whose data directory was wiped does not reuse numbers).
    func continueAfter(_ sequence: Int64) async throws
    func status() async throws -> OutboxStatus
}

/// What an outbox holds.
public struct OutboxStatus: Sendable, Equatable, Codable {
    /// The last sequence number given out.
    public var lastSequence: Int64
    /// The highest sequence the tower acknowledged.
    public var acknowledged: Int64
    /// Batches waiting for the tower.
    public var pending: Int
    /// Batches dropped because the outbox was full (the tower records them as missing).
    public var dropped: Int64

    public init(lastSequence: Int64, acknowledged: Int64, pending: Int, dropped: Int64) {
        self.lastSequence = lastSequence
        self.acknowledged = acknowledged
        self.pending = pending
        self.dropped = dropped
    }
}

/// An outbox in memory (simulated agents; a real agent uses ``SQLiteOutbox``).
public actor MemoryOutbox: Outbox {
    private var batches: [ReportBatch] = []
    private var lastSequence: Int64 = 0
    private var acknowledged: Int64 = 0
    private var dropped: Int64 = 0
    private let capacity: Int

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    public func append(_ records: [ReportRecord], at time: Date) -> ReportBatch {
        lastSequence += 1
        let batch = ReportBatch(sequence: lastSequence, createdAt: time, records: records)
        batches.append(batch)
        if batches.count > capacity {
            let excess = batches.count - capacity
            batches.removeFirst(excess)
            dropped += Int64(excess)
        }
        return batch
    }

    public func pending(limit: Int) -> [ReportBatch] { Array(batches.prefix(limit)) }

    public func acknowledge(through sequence: Int64) {
        batches.removeAll { $0.sequence <= sequence }
        acknowledged = max(acknowledged, sequence)
    }

    public func continueAfter(_ sequence: Int64) {
        if lastSequence < sequence {
            lastSequence = sequence
            acknowledged = max(acknowledged, sequence)
        }
    }

    public func status() -> OutboxStatus {
        OutboxStatus(lastSequence: lastSequence, acknowledged: acknowledged, pending: batches.count, dropped: dropped)
    }
}
