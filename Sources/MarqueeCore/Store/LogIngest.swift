import Foundation
import GRDB

/// Collects one host's log lines during a heartbeat's ingest, attaching the references the tower
/// knows, and stores them as one chunk when the host's batches are done.
struct LogIngest {
    let hostID: String
    private var origin: LogChunkStore.Origin?
    private var looked = false
    private var containers: [String: (app: String, service: String, tenant: String)?] = [:]
    private var lines: [LogChunkBody.Line] = []

    init(hostID: String) {
        self.hostID = hostID
    }

    /// Longest message kept; the rest is cut with a note (a runaway line must not bloat the store).
    static let maximumMessageLength = 8_192

    mutating func insert(_ entry: LogEntry, at time: Date, db: Database) throws {
        if !looked {
            looked = true
            if let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT siteID, kernelRelease, runtimeName, runtimeVersion FROM host WHERE id = ?"), arguments: [hostID])
            {
                let runtime = [row["runtimeName"] as String, row["runtimeVersion"] as String].filter { !$0.isEmpty }.joined(separator: " ")
                origin = LogChunkStore.Origin(siteID: row["siteID"], hostID: hostID, kernel: row["kernelRelease"], runtime: runtime)
            }
        }
        guard origin != nil else { return }
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
        lines.append(
            LogChunkBody.Line(
                index: 0, time: time.timeIntervalSince1970, severity: entry.severity, layer: entry.layer,
                source: entry.source, message: message, container: entry.container, runtimeInstance: entry.runtimeInstance, tenant: owner?.tenant,
                app: owner?.app, service: owner?.service))
    }

    /// Stores the collected lines: one chunk per ``LogChunkBody/timeSpan`` bucket they fall in
    /// (a routine report is one; an outbox flushed after an outage, several), split again past
    /// ``LogChunkBody/maximumLines``. Lines keep their arrival order (and so their ids' order).
    mutating func flush(db: Database) throws {
        defer { lines = [] }
        guard let origin, !lines.isEmpty else { return }
        let first = LogChunkBody.bucket(lines[0].time)
        let buckets = lines.allSatisfy { LogChunkBody.bucket($0.time) == first } ? [lines] : Self.byBucket(lines)
        for bucket in buckets {
            var start = 0
            while start < bucket.count {
                let end = min(bucket.count, start + LogChunkBody.maximumLines)
                let chunk = bucket[start..<end].enumerated().map { index, line in
                    var line = line
                    line.index = index
                    return line
                }
                try LogChunkStore.insert(chunk, origin: origin, db: db)
                start = end
            }
        }
    }

    private static func byBucket(_ lines: [LogChunkBody.Line]) -> [[LogChunkBody.Line]] {
        let grouped = Dictionary(grouping: lines) { LogChunkBody.bucket($0.time) }
        return grouped.keys.sorted().map { grouped[$0]! }
    }
}
