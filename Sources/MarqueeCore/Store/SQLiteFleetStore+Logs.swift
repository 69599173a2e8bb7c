import Foundation
import GRDB

/// Inserts one host's log lines during ingest, attaching the references the tower knows.
struct LogIngest {
    let hostID: String
    private var host: (siteID: String, kernel: String, runtime: String)?
    private var containers: [String: (app: String, service: String, tenant: String)?] = [:]

    init(hostID: String) {
        self.hostID = hostID
    }

    /// Longest message kept; the rest is cut with a note (a runaway line must not bloat the store).
    static let maximumMessageLength = 8_192

    mutating func insert(_ entry: LogEntry, at time: Date, db: Database) throws {
        if host == nil {
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT siteID, kernelRelease, runtimeName, runtimeVersion FROM host WHERE id = ?"), arguments: [hostID])
            else { return }
            let runtime = [row["runtimeName"] as String, row["runtimeVersion"] as String].filter { !$0.isEmpty }.joined(separator: " ")
            host = (row["siteID"], row["kernelRelease"], runtime)
        }
        guard let host else { return }
        var owner: (app: String, service: String, tenant: String)?
        if let container = entry.container {
            if let known = containers[container] {
                owner = known
            } else {
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT app, service, tenantID FROM containerInstance WHERE id = ? AND hostID = ?"),
                    arguments: [container, hostID])
                owner = row.map { ($0["app"], $0["service"], $0["tenantID"]) }
                containers[container] = owner
            }
        }
        var message = entry.message
        if message.utf8.count > Self.maximumMessageLength {
            message = String(message.utf8.prefix(Self.maximumMessageLength)) ?? String(message.prefix(Self.maximumMessageLength / 4))
            message += " … [cut at \(Self.maximumMessageLength) bytes]"
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO logLine (time, severity, layer, source, message, siteID, hostID, container, runtimeInstance, tenant, app, service, kernel, runtime, pattern)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                time.timeIntervalSince1970, entry.severity.rawValue, entry.layer.rawValue, entry.source, message, host.siteID, hostID,
                entry.container,
                entry.runtimeInstance, owner?.tenant, owner?.app, owner?.service, host.kernel, host.runtime,
                entry.layer == .kernel || entry.layer == .runtime ? LogPattern.of(message) : nil,
            ])
    }
}

extension SQLiteFleetStore {
    static func logLine(_ row: Row) -> LogLine {
        LogLine(
            id: row["id"], time: Date(timeIntervalSince1970: row["time"]), severity: LogSeverity(rawValue: row["severity"]) ?? .info,
            layer: LogLayer(rawValue: row["layer"]) ?? .app, source: row["source"], message: row["message"], siteID: row["siteID"],
            hostID: row["hostID"], container: row["container"], runtimeInstance: row["runtimeInstance"], tenant: row["tenant"], app: row["app"],
            service: row["service"], kernel: row["kernel"], runtime: row["runtime"])
    }

    /// Lines matching `query`, newest first (oldest first after `afterID`, for following).
    public func logs(_ query: LogQuery) async throws -> [LogLine] {
        try await read { db in
            var clauses: [String] = []
            var arguments = StatementArguments()
            func add(_ clause: String, _ values: [(any DatabaseValueConvertible)?]) {
                clauses.append(clause)
                for value in values { arguments += [value] }
            }
            if let site = query.siteID { add("l.siteID = ?", [site]) }
            if let host = query.hostID { add("l.hostID = ?", [host]) }
            if let container = query.container { add("l.container = ?", [container]) }
            if let app = query.app { add("l.app = ?", [app]) }
            if let tenant = query.tenant { add("l.tenant = ?", [tenant]) }
            if let layers = query.layers, !layers.isEmpty {
                add("l.layer IN (\(databaseQuestionMarks(count: layers.count)))", layers.map(\.rawValue))
            }
            if let minimum = query.minimumSeverity {
                let allowed = LogSeverity.allCases.filter { $0 >= minimum }.map(\.rawValue)
                add("l.severity IN (\(databaseQuestionMarks(count: allowed.count)))", allowed)
            }
            if let since = query.since { add("l.time >= ?", [since.timeIntervalSince1970]) }
            if let until = query.until { add("l.time < ?", [until.timeIntervalSince1970]) }
            if let after = query.afterID { add("l.id > ?", [after]) }
            var from = "logLine l"
            if let text = query.text {
                if text.count >= 3 {
                    // The trigram index finds candidates; the phrase keeps them exact.
                    from = "logText JOIN logLine l ON l.id = logText.rowid"
                    add("logText MATCH ?", ["\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""])
                } else {
                    add("instr(lower(l.message), lower(?)) > 0", [text])
                }
            }
            let order = query.afterID == nil ? "l.time DESC, l.id DESC" : "l.id ASC"
            let sql = "SELECT l.* FROM \(from)\(clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")) ORDER BY \(order) LIMIT ?"
            arguments += [query.limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.logLine)
        }
    }

    /// The timeline around `at` for `container`: its own lines and its host's runtime, OS and
    /// kernel lines within ±`window`, oldest first; and similar infrastructure lines on other hosts.
    /// `nil` when there is no such container.
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
            let own = try Row.fetchAll(
                db, sql: "SELECT * FROM logLine WHERE container = ? AND time >= ? AND time <= ? ORDER BY time DESC, id DESC LIMIT ?",
                arguments: [container, from, to, limit])
            let infrastructure = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM logLine WHERE hostID = ? AND time >= ? AND time <= ? AND layer IN ('runtime', 'os', 'kernel', 'agent')
                    AND container IS NULL ORDER BY time DESC, id DESC LIMIT ?
                    """, arguments: [hostID, from, to, limit])
            let timeline = (own + infrastructure).map(Self.logLine).sorted { ($0.time, $0.id) < ($1.time, $1.id) }
            // The same infrastructure messages on other hosts in the window, by kernel and runtime.
            let patterns = Set(timeline.filter { $0.layer == .kernel || $0.layer == .runtime }.map { LogPattern.of($0.message) })
            // The same infrastructure messages on other hosts in the window, by kernel and runtime:
            // one index range per pattern (`logLine_pattern`).
            var groups: [LogCorrelation.Elsewhere] = []
            for pattern in patterns.sorted() {
                let rows = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT kernel, runtime, MAX(layer) AS layer, COUNT(DISTINCT hostID) AS hosts, MIN(hostID) AS example
                            FROM logLine INDEXED BY logLine_pattern
                            WHERE pattern = ? AND time >= ? AND time <= ? AND hostID != ?
                            GROUP BY kernel, runtime
                            """), arguments: [pattern, from, to, hostID])
                for other in rows {
                    groups.append(
                        LogCorrelation.Elsewhere(
                            pattern: pattern, layer: LogLayer(rawValue: other["layer"]) ?? .kernel, kernel: other["kernel"],
                            runtime: other["runtime"],
                            hosts: other["hosts"], exampleHost: other["example"]))
                }
            }
            return LogCorrelation(
                container: container, hostID: hostID, kernel: row["kernelRelease"], runtime: runtime, at: at, window: window, timeline: timeline,
                elsewhere: groups.sorted { ($0.hosts, $1.pattern) > ($1.hosts, $0.pattern) })
        }
    }

    /// Deletes lines older than `before`, then the oldest beyond `maximumLines`; returns how many.
    @discardableResult
    public func pruneLogs(before: Date, maximumLines: Int) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM logLine WHERE time < ?", arguments: [before.timeIntervalSince1970])
            var deleted = db.changesCount
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM logLine") ?? 0
            if count > maximumLines {
                try db.execute(
                    sql: "DELETE FROM logLine WHERE id IN (SELECT id FROM logLine ORDER BY time, id LIMIT ?)", arguments: [count - maximumLines])
                deleted += db.changesCount
            }
            return deleted
        }
    }
}
