import Foundation
import GRDB

extension SQLiteFleetStore {
    /// Lines matching `query`, newest first (oldest first after `afterID`, for following).
    public func logs(_ query: LogQuery) async throws -> [LogLine] {
        try await read { db in try LogScan(query).run(db) }
    }

    /// The timeline around `at` for `container`: its own lines and its host's runtime, OS and
    /// kernel lines within ±`window`, oldest first; and similar infrastructure lines on other hosts.
    /// The host's runtime lines include those about its other containers (`task cgroup cpu
    /// throttled` on a neighbour is part of the story); their app lines do not. `nil` when there is
    /// no such container.
    public func correlate(container: String, at: Date, window: TimeInterval, limit: Int = 500) async throws -> LogCorrelation? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT c.hostID, h.kernelRelease, h.runtimeName, h.runtimeVersion FROM containerInstance c
                        JOIN host h ON h.id = c.hostID WHERE c.id = ?
                        """, arguments: [container])
            else { return nil }
            let hostID: String = row["hostID"]
            let runtime = [row["runtimeName"] as String, row["runtimeVersion"] as String].filter { !$0.isEmpty }.joined(separator: " ")
            let from = at.addingTimeInterval(-window).timeIntervalSince1970
            let to = at.addingTimeInterval(window).timeIntervalSince1970
            var own = LogScan(limit: limit)
            own.container = container
            var infrastructure = LogScan(limit: limit)
            infrastructure.hostID = hostID
            infrastructure.layers = [.runtime, .os, .kernel, .agent]
            for index in [0, 1] {
                var scan = index == 0 ? own : infrastructure
                (scan.since, scan.until, scan.untilIncluded) = (from, to, true)
                if index == 0 { own = scan } else { infrastructure = scan }
            }
            // The container's own runtime lines are in both scans: they are taken from the first.
            let hostLines = try infrastructure.run(db).filter { $0.container != container }
            let timeline = (try own.run(db) + hostLines).sorted { ($0.time, $0.id) < ($1.time, $1.id) }
            // The same infrastructure messages on other hosts in the window, by kernel and runtime:
            // one closed index range per pattern (`logChunkPattern`: each chunk's patterns with the
            // first and last time they occur in it; a chunk spans less than `LogChunkBody.timeSpan`).
            let patterns = Set(timeline.filter { $0.layer == .kernel || $0.layer == .runtime }.map { LogPattern.of($0.message) })
            var groups: [LogCorrelation.Elsewhere] = []
            for pattern in patterns.sorted() {
                let rows = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT kernel, runtime, MAX(layer) AS layer, COUNT(DISTINCT hostID) AS hosts, MIN(hostID) AS example
                            FROM logChunkPattern INDEXED BY logChunkPattern_scan
                            WHERE pattern = ? AND lastTime >= ? AND lastTime < ? AND firstTime <= ? AND hostID != ?
                            GROUP BY kernel, runtime
                            """), arguments: [pattern, from, to + LogChunkBody.timeSpan, to, hostID])
                for other in rows {
                    groups.append(
                        LogCorrelation.Elsewhere(
                            pattern: pattern, layer: LogLayer(rawValue: other["layer"]) ?? .kernel, kernel: other["kernel"],
                            runtime: other["runtime"], hosts: other["hosts"], exampleHost: other["example"]))
                }
            }
            return LogCorrelation(
                container: container, hostID: hostID, kernel: row["kernelRelease"], runtime: runtime, at: at, window: window, timeline: timeline,
                elsewhere: groups.sorted { ($0.hosts, $1.pattern) > ($1.hosts, $0.pattern) })
        }
    }

    /// Deletes lines older than `before`, then the oldest beyond `maximumLines`; returns how many.
    ///
    /// Whole chunks go where they can; a chunk that straddles the limit is rewritten without its
    /// old lines (the rest keep their ids).
    @discardableResult
    public func pruneLogs(before: Date, maximumLines: Int) async throws -> Int {
        try await write { db in
            let cutoff = before.timeIntervalSince1970
            var deleted = 0
            for (id, count) in try Self.chunks(db, sql: "SELECT id, lineCount FROM logChunk WHERE maxTime < ?", [cutoff]) {
                try Self.deleteChunk(id, db: db)
                deleted += count
            }
            for (id, _) in try Self.chunks(db, sql: "SELECT id, lineCount FROM logChunk WHERE minTime < ?", [cutoff]) {
                deleted += try LogChunkStore.trim(id, keep: { $0.time >= cutoff }, db: db)
            }
            var total = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(lineCount), 0) FROM logChunk") ?? 0
            while total > maximumLines,
                let (id, count) = try Self.chunks(db, sql: "SELECT id, lineCount FROM logChunk ORDER BY maxTime, id LIMIT 1", []).first
            {
                if total - count >= maximumLines {
                    try Self.deleteChunk(id, db: db)
                    deleted += count
                    total -= count
                } else {
                    // The oldest lines of the oldest chunk, just enough of them.
                    let excess = total - maximumLines
                    let body = try Data.fetchOne(db, sql: "SELECT body FROM logChunk WHERE id = ?", arguments: [id]) ?? Data()
                    let oldest = Set(
                        try LogChunkBody.Reader(Array(body)).headers.sorted { ($0.time, $0.index) < ($1.time, $1.index) }.prefix(excess).map(\.index))
                    let removed = try LogChunkStore.trim(id, keep: { !oldest.contains($0.index) }, db: db)
                    deleted += removed
                    total -= removed
                    if removed == 0 { break }
                }
            }
            return deleted
        }
    }

    private static func chunks(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> [(Int64, Int)] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { ($0[0], $0[1]) }
    }

    private static func deleteChunk(_ id: Int64, db: Database) throws {
        let body = try Data.fetchOne(db, sql: "SELECT body FROM logChunk WHERE id = ?", arguments: [id]) ?? Data()
        try LogChunkStore.delete(id, reader: LogChunkBody.Reader(Array(body)), db: db)
    }
}
