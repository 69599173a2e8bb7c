import Foundation
import GRDB

extension SQLiteFleetStore: LifecycleStore {
    public func saveEnrollmentToken(_ token: EnrollmentTokenRecord) async throws {
        try await write { db in try token.insert(db) }
    }

    public func enrollmentToken(hash: String) async throws -> EnrollmentTokenRecord? {
        try await read { db in try EnrollmentTokenRecord.fetchOne(db, key: hash) }
    }

    public func enroll(
        _ facts: HostFacts, siteID: String, credentialHash: String?, status: HostStatus, at time: Date, event: Event
    ) async throws -> EdgeHost {
        try await write { db in
            let clusterID = "\(siteID)-c1"
            if try ClusterRow.fetchOne(db, key: clusterID) == nil {
                try ClusterRow(id: clusterID, siteID: siteID).insert(db)
            }
            let existing = try EdgeHost.filter(EdgeHost.Columns.serialNumber == facts.serialNumber).fetchOne(db)
            let id: String
            if let existing, existing.siteID == siteID {
                id = existing.id
            } else {
                if let existing { try existing.delete(db) }
                let ids = try String.fetchAll(db, EdgeHost.select(EdgeHost.Columns.id).filter(EdgeHost.Columns.siteID == siteID))
                let numbers = ids.compactMap { Int($0.split(separator: "-h").last ?? "") }
                id = "\(siteID)-h\((numbers.max() ?? 0) + 1)"
            }
            var host = EdgeHost(
                id: id, serialNumber: facts.serialNumber, hostname: facts.hostname, siteID: siteID, clusterID: clusterID, osName: "",
                osVersion: "", kernelRelease: "", runtimeName: "", runtimeVersion: "", agentVersion: "", cpuCores: 0, memoryBytes: 0,
                diskBytes: 0, status: status, lastSeen: time)
            host.apply(facts)
            try host.save(db)
            if let credentialHash {
                try HostCredentialRow(hostID: id, credentialHash: credentialHash).save(db)
            } else {
                _ = try HostCredentialRow.deleteOne(db, key: id)
            }
            var event = event
            event.subject = "host/\(id)"
            try event.insert(db)
            return host
        }
    }

    public func host(serialNumber: String) async throws -> EdgeHost? {
        try await read { db in try EdgeHost.filter(EdgeHost.Columns.serialNumber == serialNumber).fetchOne(db) }
    }

    public func savePreRegistration(_ registration: PreRegistration, event: Event) async throws {
        try await write { db in
            try registration.save(db)
            var event = event
            try event.insert(db)
        }
    }

    public func preRegistration(serialNumber: String) async throws -> PreRegistration? {
        try await read { db in try PreRegistration.fetchOne(db, key: serialNumber) }
    }

    public func approval(hostID: String) async throws -> HostApproval? {
        try await read { db in try HostApproval.fetchOne(db, key: hostID) }
    }

    public func decide(_ approval: HostApproval, status: HostStatus, event: Event) async throws {
        try await write { db in
            try approval.save(db)
            try db.execute(sql: "UPDATE host SET status = ? WHERE id = ?", arguments: [status.rawValue, approval.hostID])
            if approval.decision == .rejected { _ = try HostCredentialRow.deleteOne(db, key: approval.hostID) }
            var event = event
            try event.insert(db)
        }
    }

    public func host(credentialHash: String) async throws -> EdgeHost? {
        try await read { db in
            guard let row = try HostCredentialRow.filter(Column("credentialHash") == credentialHash).fetchOne(db) else { return nil }
            return try EdgeHost.fetchOne(db, key: row.hostID)
        }
    }

    public func heartbeats(_ writes: [HeartbeatWrite], at time: Date, transition: @escaping HeartbeatTransition) async throws -> [HeartbeatOutcome] {
        try await write(reportingChange: { db in
            var outcomes: [HeartbeatOutcome] = []
            outcomes.reserveCapacity(writes.count)
            var changed = false
            // Prepared once per connection: a busy tower runs these thousands of times a second. One
            // statement answers everything a routine heartbeat needs: the host, its status, its
            // report cursor and its desired-state revision.
            let lookup = try db.cachedStatement(
                sql: """
                    SELECT h.id, h.status, COALESCE((SELECT revision FROM desiredRevision WHERE hostID = h.id), 0),
                        r.lastSequence, r.batches, r.records, r.duplicates, r.missing
                    FROM hostCredential c JOIN host h ON h.id = c.hostID LEFT JOIN reportCursor r ON r.hostID = h.id
                    WHERE c.credentialHash = ?
                    """)
            let touch = try db.cachedStatement(sql: "UPDATE host SET status = ?, lastSeen = ? WHERE id = ?")
            // Formatted once per group, not once per heartbeat (dates are stored as text).
            let seen = DatabaseTime.text(time)
            var probes = ProbeAccumulator()
            let buffer = lastSeenBuffer
            for write in writes {
                let found = try lookup.directRow(write.credentialHash, db: db) { row in
                    let hostID = row.string(0)
                    let cursor =
                        row.isNull(3)
                        ? ReportCursor(hostID: hostID)
                        : ReportCursor(
                            hostID: hostID, lastSequence: row.int64(3), batches: row.int64(4), records: row.int64(5), duplicates: row.int64(6),
                            missing: row.int64(7))
                    return (hostID: hostID, status: HostStatus(rawValue: row.string(1)), desired: row.int64(2), cursor: cursor)
                }
                guard let found, let current = found.status, current != .revoked else {
                    outcomes.append(.invalidCredential)
                    continue
                }
                let hostID = found.hostID
                let desired = found.desired
                let cursor = found.cursor
                let (status, event) = transition(hostID, current, time)
                var factsChanged = false
                if let facts = write.facts, var host = try EdgeHost.fetchOne(db, key: hostID), host.facts != facts {
                    host.apply(facts)
                    try host.update(db)
                    factsChanged = true
                    changed = true
                }
                // A heartbeat that changes only the time leaves the row alone (`LastSeenBuffer`).
                if status != current || factsChanged {
                    try touch.direct(status.rawValue, seen, hostID, db: db)
                    buffer.forget(hostID)
                } else {
                    buffer.record(hostID, seen: seen)
                }
                if var event { try event.insert(db) }
                changed = changed || event != nil || status != current
                if write.batches.isEmpty {
                    let ingest = IngestResult(
                        cursor: cursor, applied: 0, duplicates: 0, records: 0, oldestBatchAge: nil)
                    outcomes.append(.accepted(hostID: hostID, status: status, ingest: ingest, desiredRevision: desired))
                    continue
                }
                let (ingest, containersChanged) = try Self.ingest(write.batches, above: cursor, at: time, probes: &probes, db: db)
                changed = changed || containersChanged
                outcomes.append(.accepted(hostID: hostID, status: status, ingest: ingest, desiredRevision: desired))
            }
            // Probe samples land in the transaction that advances the cursors: counted exactly once.
            try Self.merge(probes, db: db)
            try Self.writeLastSeen(buffer.take(at: time), db: db)
            return (outcomes, changed)
        })
    }

    /// Applies the batches above the host's cursor (as the heartbeat's lookup read it, in this
    /// transaction), in sequence order; returns the result and whether any container changed state.
    private static func ingest(
        _ batches: [ReportBatch], above start: ReportCursor, at time: Date, probes: inout ProbeAccumulator, db: Database
    ) throws -> (IngestResult, Bool) {
        var cursor = start
        let hostID = cursor.hostID
        let updateContainer = try db.cachedStatement(
            sql: """
                UPDATE containerInstance SET state = ?1, restarts = ?2, detail = ?5, runtimeInstanceID = COALESCE(?8, runtimeInstanceID),
                    startedAt = CASE WHEN ?1 = 'running' AND state != 'running' THEN ?6 ELSE startedAt END
                WHERE id = ?3 AND hostID = ?4 AND (?7 IS NULL OR version = ?7)
                    AND (state != ?1 OR restarts != ?2 OR detail IS NOT ?5 OR (?8 IS NOT NULL AND runtimeInstanceID != ?8))
                """)
        let saveMetrics = try db.cachedStatement(
            sql: """
                INSERT INTO hostMetrics (hostID, time, load1, memoryAvailableBytes, diskFreeBytes) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(hostID) DO UPDATE SET time = excluded.time, load1 = excluded.load1,
                    memoryAvailableBytes = excluded.memoryAvailableBytes, diskFreeBytes = excluded.diskFreeBytes
                """)
        var applied = 0
        var duplicates = 0
        var records = 0
        var oldest: Date?
        var containersChanged = false
        var location: (siteID: String, country: String)?
        var logs = LogIngest(hostID: hostID)
        for batch in batches.sorted(by: { $0.sequence < $1.sequence }) {
            guard batch.sequence > cursor.lastSequence else {
                duplicates += 1
                continue
            }
            if batch.sequence > cursor.lastSequence + 1 {
                let missing = batch.sequence - cursor.lastSequence - 1
                cursor.missing += missing
                var event = Event(
                    time: time, kind: "host.reports_lost", severity: .warning, subject: "host/\(hostID)",
                    message: "\(missing) report batch(es) after #\(cursor.lastSequence) never arrived (outbox overflowed or was wiped)",
                    actor: "system")
                try event.insert(db)
                containersChanged = true
            }
            for record in batch.records {
                switch record.kind {
                case .container:
                    guard let report = record.container else { continue }
                    try updateContainer.direct(
                        report.state.rawValue, report.restarts, report.id, hostID, report.detail, DatabaseTime.text(record.time), report.version,
                        report.runtimeInstanceID, db: db)
                    if db.changesCount > 0 { containersChanged = true }
                case .hostMetrics:
                    guard let metrics = record.hostMetrics else { continue }
                    try saveMetrics.direct(
                        hostID, DatabaseTime.text(record.time), metrics.load1, metrics.memoryAvailableBytes, metrics.diskFreeBytes, db: db)
                case .probe:
                    guard let sample = record.probe else { continue }
                    if location == nil {
                        let row = try Row.fetchOne(
                            db.cachedStatement(sql: "SELECT h.siteID, s.country FROM host h JOIN site s ON s.id = h.siteID WHERE h.id = ?"),
                            arguments: [hostID])
                        location = row.map { ($0[0], $0[1]) }
                    }
                    guard let location else { continue }
                    probes.add(sample, at: record.time, hostID: hostID, siteID: location.siteID, country: location.country)
                case .log:
                    guard let entry = record.log else { continue }
                    try logs.insert(entry, at: record.time, db: db)
                }
            }
            cursor.lastSequence = batch.sequence
            cursor.batches += 1
            cursor.records += Int64(batch.records.count)
            applied += 1
            records += batch.records.count
            oldest = min(oldest ?? batch.createdAt, batch.createdAt)
        }
        try logs.flush(db: db)
        cursor.duplicates += Int64(duplicates)
        cursor.lastReceivedAt = time
        try db.cachedStatement(
            sql: """
                INSERT INTO reportCursor (hostID, lastSequence, batches, records, duplicates, missing, lastReceivedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(hostID) DO UPDATE SET lastSequence = excluded.lastSequence, batches = excluded.batches,
                    records = excluded.records, duplicates = excluded.duplicates, missing = excluded.missing,
                    lastReceivedAt = excluded.lastReceivedAt
                """
        ).direct(
            hostID, cursor.lastSequence, cursor.batches, cursor.records, cursor.duplicates, cursor.missing,
            cursor.lastReceivedAt.map(DatabaseTime.text),
            db: db)
        let result = IngestResult(
            cursor: cursor, applied: applied, duplicates: duplicates, records: records, oldestBatchAge: oldest.map { time.timeIntervalSince($0) })
        return (result, containersChanged)
    }

    public func reportCursor(hostID: String) async throws -> ReportCursor? {
        try await read { db in try ReportCursor.fetchOne(db, key: hostID) }
    }

    public func latestMetrics(hostID: String) async throws -> HostMetricsSample? {
        try await read { db in
            try HostMetricsRow.fetchOne(db, key: hostID).map { row in
                HostMetricsSample(
                    time: row.time,
                    metrics: HostMetricsReport(load1: row.load1, memoryAvailableBytes: row.memoryAvailableBytes, diskFreeBytes: row.diskFreeBytes))
            }
        }
    }

    public func markOffline(lastSeenBefore cutoff: Date, at time: Date) async throws -> [EdgeHost] {
        let buffer = lastSeenBuffer
        return try await write(reportingChange: { db in
            // Every heartbeat so far counts: the recorded times go in before the silent are judged.
            try Self.writeLastSeen(buffer.take(at: time, force: true), db: db)
            let silent = try EdgeHost.filter([HostStatus.online.rawValue, HostStatus.degraded.rawValue].contains(EdgeHost.Columns.status))
                .filter(Column("lastSeen") < cutoff).fetchAll(db)
            var changed: [EdgeHost] = []
            for var host in silent {
                host.status = .offline
                try host.update(db)
                var event = Event(
                    time: time, kind: "host.offline", severity: .warning, subject: "host/\(host.id)",
                    message:
                        "\(host.id) missed its heartbeats; last seen \(host.lastSeen.map { ISO8601DateFormatter().string(from: $0) } ?? "never")",
                    actor: "system")
                try event.insert(db)
                changed.append(host)
            }
            let newly = Set(changed.map(\.id))
            for siteID in Set(changed.map(\.siteID)).sorted() {
                let hosts = try EdgeHost.filter(EdgeHost.Columns.siteID == siteID).fetchAll(db)
                if var alert = VanishedHosts.alert(siteID: siteID, hosts: hosts, newlyOffline: newly, at: time) { try alert.insert(db) }
            }
            return (changed, !changed.isEmpty)
        })
    }
}

extension SQLiteFleetStore {
    /// Writes heartbeat times taken from ``LastSeenBuffer``.
    static func writeLastSeen(_ times: [String: String], db: Database) throws {
        guard !times.isEmpty else { return }
        let update = try db.cachedStatement(sql: "UPDATE host SET lastSeen = ? WHERE id = ?")
        for (hostID, seen) in times { try update.direct(seen, hostID, db: db) }
    }
}

extension SQLiteFleetStore: DesiredStateStore {
    public func desiredRevision(hostID: String) async throws -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT revision FROM desiredRevision WHERE hostID = ?", arguments: [hostID]) ?? 0 }
    }

    public func bumpDesiredRevision(hostIDs: [String], at time: Date) async throws -> [String: Int64] {
        try await write { db in
            var revisions: [String: Int64] = [:]
            for hostID in hostIDs {
                try db.execute(
                    sql: """
                        INSERT INTO desiredRevision (hostID, revision, updatedAt) VALUES (?, 1, ?)
                        ON CONFLICT(hostID) DO UPDATE SET revision = revision + 1, updatedAt = excluded.updatedAt
                        """, arguments: [hostID, time])
                revisions[hostID] = try Int64.fetchOne(db, sql: "SELECT revision FROM desiredRevision WHERE hostID = ?", arguments: [hostID])
            }
            return revisions
        }
    }
}
