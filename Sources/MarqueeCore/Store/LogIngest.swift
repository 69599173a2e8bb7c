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
                index: lines.count % LogChunkBody.maximumLines, time: time.timeIntervalSince1970, severity: entry.severity, layer: entry.layer,
                source: entry.source, message: message, container: entry.container, runtimeInstance: entry.runtimeInstance, tenant: owner?.tenant,
                app: owner?.app, service: owner?.service))
    }

    /// Stores the collected lines (one chunk, or more past ``LogChunkBody/maximumLines``).
    mutating func flush(db: Database) throws {
        defer { lines = [] }
        guard let origin, !lines.isEmpty else { return }
        var start = 0
        while start < lines.count {
            let end = min(lines.count, start + LogChunkBody.maximumLines)
            try LogChunkStore.insert(Array(lines[start..<end]), origin: origin, db: db)
            start = end
        }
    }
}
