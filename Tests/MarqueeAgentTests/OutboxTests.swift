import Foundation
import MarqueeAgent
import MarqueeCore
import MarqueeTestSupport
import Testing

@Suite struct OutboxTests {
    static let record = ReportRecord.hostMetrics(HostMetricsReport(load1: 1, memoryAvailableBytes: 2, diskFreeBytes: 3), at: Fixtures.now)

    @Test func theSQLiteOutboxKeepsBatchesAndNumbersAcrossRestarts() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-outbox")
        defer { directory.remove() }
        var outbox = try SQLiteOutbox(directory: directory.path)
        for _ in 0..<5 { try await outbox.append([Self.record], at: Fixtures.now) }
        try await outbox.acknowledge(through: 2)
        #expect(try await outbox.status() == OutboxStatus(lastSequence: 5, acknowledged: 2, pending: 3, dropped: 0))

        // A restarted agent (power cut) finds the same batches and keeps numbering
        outbox = try SQLiteOutbox(directory: directory.path)
        #expect(try await outbox.pending(limit: 10).map(\.sequence) == [3, 4, 5])
        #expect(try await outbox.pending(limit: 10).first?.records == [Self.record])
        #expect(try await outbox.append([], at: Fixtures.now).sequence == 6)
        // Acknowledging everything never resets the numbering
        try await outbox.acknowledge(through: 6)
        #expect(try await outbox.append([Self.record], at: Fixtures.now).sequence == 7)
    }

    @Test func aFullOutboxDropsTheOldestAndCountsThem() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-outbox")
        defer { directory.remove() }
        let outbox = try SQLiteOutbox(directory: directory.path, capacity: 3)
        for _ in 0..<5 { try await outbox.append([Self.record], at: Fixtures.now) }
        #expect(try await outbox.pending(limit: 10).map(\.sequence) == [3, 4, 5])
        #expect(try await outbox.status().dropped == 2)

        let memory = MemoryOutbox(capacity: 3)
        for _ in 0..<5 { await memory.append([Self.record], at: Fixtures.now) }
        #expect(await memory.pending(limit: 10).map(\.sequence) == [3, 4, 5])
        #expect(await memory.status().dropped == 2)
    }

    @Test func aWipedAgentContinuesAfterTheTowersCursor() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-outbox")
        defer { directory.remove() }
        let outbox = try SQLiteOutbox(directory: directory.path)
        try await outbox.continueAfter(41)
        #expect(try await outbox.append([Self.record], at: Fixtures.now).sequence == 42)
        // An outbox already past the cursor keeps its own numbering
        try await outbox.continueAfter(10)
        #expect(try await outbox.append([Self.record], at: Fixtures.now).sequence == 43)
    }
}
