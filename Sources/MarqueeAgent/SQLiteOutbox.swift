import Foundation
import GRDB
import MarqueeCore

/// The agent's outbox on disk: `outbox.sqlite` in the data directory.
///
/// Survives agent restarts and power cuts (WAL, one transaction per append), so reports taken
/// while the tower was unreachable are delivered when it comes back. When more than `capacity`
/// batches wait (days of outage), the oldest are dropped and counted; the tower records the gap.
public struct SQLiteOutbox: Outbox {
    private let queue: DatabaseQueue
    public let path: String
    private let capacity: Int

    /// Opens (or creates) the outbox in `directory`.
    public init(directory: String, capacity: Int = 50_000) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/outbox.sqlite"
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        self.capacity = capacity
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-outbox") { db in
            try db.create(table: "batch") { t in
                t.primaryKey("sequence", .integer)
                t.column("createdAt", .datetime).notNull()
                t.column("records", .blob).notNull()
            }
            try db.create(table: "state") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("lastSequence", .integer).notNull()
                t.column("acknowledged", .integer).notNull()
                t.column("dropped", .integer).notNull()
            }
            try db.execute(sql: "INSERT INTO state (id, lastSequence, acknowledged, dropped) VALUES (1, 0, 0, 0)")
        }
        try migrator.migrate(queue)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    public func append(_ records: [ReportRecord], at time: Date) async throws -> ReportBatch {
        let data = try Self.encoder.encode(records)
        let capacity = self.capacity
        return try await queue.write { db in
            let next = try Int64.fetchOne(db, sql: "SELECT lastSequence + 1 FROM state WHERE id = 1") ?? 1
            try db.execute(sql: "INSERT INTO batch (sequence, createdAt, records) VALUES (?, ?, ?)", arguments: [next, time, data])
            try db.execute(sql: "UPDATE state SET lastSequence = ? WHERE id = 1", arguments: [next])
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batch") ?? 0
            if count > capacity {
                let excess = count - capacity
                try db.execute(
                    sql: "DELETE FROM batch WHERE sequence IN (SELECT sequence FROM batch ORDER BY sequence LIMIT ?)", arguments: [excess])
                try db.execute(sql: "UPDATE state SET dropped = dropped + ? WHERE id = 1", arguments: [excess])
            }
            return ReportBatch(sequence: next, createdAt: time, records: records)
        }
    }

    /// Encoded batch bytes one heartbeat carries at most (past the first batch).
    static let heartbeatBytes = 1_500_000

    public func pending(limit: Int) async throws -> [ReportBatch] {
        // Plain values out of the read (a `Row` is not Sendable, which would pick the blocking overload).
        let stored = try await queue.read { db -> [(sequence: Int64, createdAt: Date, records: Data)] in
            // At most `limit` batches and about 1.5 MB of them (always at least one): heartbeat
            // bodies must stay within the tower's 2 MiB limit when log lines fill the batches.
            var stored: [(sequence: Int64, createdAt: Date, records: Data)] = []
            var bytes = 0
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT sequence, createdAt, records FROM batch ORDER BY sequence LIMIT ?", arguments: [limit])
            while let row = try cursor.next() {
                let records: Data = row["records"]
                if !stored.isEmpty, bytes + records.count > Self.heartbeatBytes { break }
                bytes += records.count
                stored.append((row["sequence"], row["createdAt"], records))
            }
            return stored
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try stored.map { batch in
            ReportBatch(sequence: batch.sequence, createdAt: batch.createdAt, records: try decoder.decode([ReportRecord].self, from: batch.records))
        }
    }

    public func acknowledge(through sequence: Int64) async throws {
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM batch WHERE sequence <= ?", arguments: [sequence])
            try db.execute(sql: "UPDATE state SET acknowledged = MAX(acknowledged, ?) WHERE id = 1", arguments: [sequence])
        }
    }

    public func continueAfter(_ sequence: Int64) async throws {
        try await queue.write { db in
            try db.execute(
                sql: "UPDATE state SET lastSequence = ?, acknowledged = MAX(acknowledged, ?) WHERE id = 1 AND lastSequence < ?",
                arguments: [sequence, sequence, sequence])
        }
    }

    public func status() async throws -> OutboxStatus {
        try await queue.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT lastSequence, acknowledged, dropped FROM state WHERE id = 1")
            let pending = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batch") ?? 0
            return OutboxStatus(
                lastSequence: row?["lastSequence"] ?? 0, acknowledged: row?["acknowledged"] ?? 0, pending: pending, dropped: row?["dropped"] ?? 0)
        }
    }
}
