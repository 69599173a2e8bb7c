import Foundation
import GRDB

/// Collects one host's log lines during a heartbeat's ingest, attaching the references the tower
/// knows, and stores them as one chunk when the host's batches are done.
struct LogIngest {
    let hostID: String
    private var origin: LogChunkStore.Origin?
    private var looked = false
    private var containers: [String: (app: String, service: String, tenant: String)?] = [:]
    /// Chunks being built, by ``LogChunkBody/bucket(_:)`` of their lines' time; full ones wait in `full`.
    private var building: [Double: LogChunkBuilder] = [:]
    private var full: [LogChunkBuilder] = []
    /// The bucket lines are arriving in (a routine report's only one), kept out of `building`.
    private var current: (bucket: Double, chunk: LogChunkBuilder)?

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
        let time = time.timeIntervalSince1970
        let bucket = LogChunkBody.bucket(time)
        if let current, current.bucket != bucket { building[current.bucket] = current.chunk }
        if current?.bucket != bucket { current = (bucket, building.removeValue(forKey: bucket) ?? LogChunkBuilder()) }
        current!.chunk.append(
            time: time, severity: entry.severity, layer: entry.layer, source: entry.source, message: message, container: entry.container,
            runtimeInstance: entry.runtimeInstance, tenant: owner?.tenant, app: owner?.app, service: owner?.service)
        if current!.chunk.count == LogChunkBody.maximumLines {
            full.append(current!.chunk)
            current = nil
        }
    }

    /// Stores the collected lines: one chunk per ``LogChunkBody/timeSpan`` bucket they fall in
    /// (a routine report is one; an outbox flushed after an outage, several), more past
    /// ``LogChunkBody/maximumLines``; oldest bucket first, lines in arrival order within each.
    mutating func flush(db: Database) throws {
        if let current { building[current.bucket] = current.chunk }
        defer { (building, full, current) = ([:], [], nil) }
        guard let origin else { return }
        for chunk in full + building.sorted(by: { $0.key < $1.key }).map(\.value) {
            try LogChunkStore.insert(chunk, origin: origin, db: db)
        }
    }
}
