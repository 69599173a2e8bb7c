import Foundation
import GRDB

extension SQLiteFleetStore: SecurityStore {
    public func createTenant(_ tenant: Tenant, audit: AuditEntry) async throws {
        let created = try await write { db in
            guard try Tenant.fetchOne(db, key: tenant.id) == nil else { return false }
            try tenant.insert(db)
            try Self.append(audit, db)
            return true
        }
        guard created else { throw SecurityError.tenantExists(tenant.id) }
    }

    public func saveToken(_ token: APIToken, secretHash: String, audit: AuditEntry) async throws {
        try await write(reportingChange: { db in
            try db.execute(
                sql: """
                    INSERT INTO apiToken (id, name, tenantID, role, secretHash, createdAt, expiresAt, revokedAt, createdBy)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token.id, token.name, token.tenantID, token.role.rawValue, secretHash, token.createdAt, token.expiresAt, token.revokedAt,
                    token.createdBy,
                ])
            try Self.append(audit, db)
            return ((), false)
        })
    }

    public func token(secretHash: String) async throws -> APIToken? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM apiToken WHERE secretHash = ?", arguments: [secretHash]).map(Self.token) }
    }

    public func token(id: String) async throws -> APIToken? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM apiToken WHERE id = ?", arguments: [id]).map(Self.token) }
    }

    public func tokens(tenantID: String?) async throws -> [APIToken] {
        try await read { db in
            if let tenantID {
                return try Row.fetchAll(db, sql: "SELECT * FROM apiToken WHERE tenantID = ? ORDER BY createdAt DESC, id", arguments: [tenantID])
                    .map(Self.token)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM apiToken ORDER BY createdAt DESC, id").map(Self.token)
        }
    }

    public func revokeToken(id: String, at time: Date, audit: AuditEntry) async throws {
        let found = try await write(reportingChange: { db in
            try db.execute(sql: "UPDATE apiToken SET revokedAt = coalesce(revokedAt, ?) WHERE id = ?", arguments: [time, id])
            guard db.changesCount == 1 else { return (false, false) }
            try Self.append(audit, db)
            return (true, false)
        })
        guard found else { throw SecurityError.unknownToken(id) }
    }

    public func appendAudit(_ entry: AuditEntry) async throws {
        try await write(reportingChange: { db in
            try Self.append(entry, db)
            return ((), false)
        })
    }

    public func auditRecords(after sequence: Int64, limit: Int) async throws -> [AuditRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM auditRecord WHERE sequence > ? ORDER BY sequence LIMIT ?", arguments: [sequence, limit])
                .map(Self.auditRecord)
        }
    }

    private enum LockdownResult: Sendable {
        case changed(SiteLockdownChange)
        case failed(SecurityError)
    }

    public func setLockdown(siteID id: String, locked: Bool, event: Event, audit: AuditEntry) async throws -> SiteLockdownChange {
        let result: LockdownResult = try await write { db in
            guard var site = try Site.fetchOne(db, key: id) else { return .failed(.unknownSite(id)) }
            if locked, site.status == .lockedDown { return .failed(.alreadyLockedDown(id)) }
            if !locked, site.status != .lockedDown { return .failed(.notLockedDown(id)) }
            site.status = locked ? .lockedDown : .active
            try site.update(db)
            var tokens = 0
            if locked {
                try db.execute(sql: "DELETE FROM enrollmentToken WHERE siteID = ?", arguments: [id])
                tokens = db.changesCount
                // The site key may be in a thief's hands: whatever is delivered after the unlock is
                // sealed with a new one (a new epoch).
                try db.execute(sql: "UPDATE siteKey SET retired = 1 WHERE siteID = ?", arguments: [id])
            }
            var event = event
            try event.insert(db)
            try Self.append(audit, db)
            let hosts = try String.fetchAll(db, sql: "SELECT id FROM host WHERE siteID = ? ORDER BY id", arguments: [id])
            return .changed(SiteLockdownChange(site: site, enrollmentTokensRevoked: tokens, hostIDs: hosts))
        }
        switch result {
        case .changed(let change): return change
        case .failed(let error): throw error
        }
    }

    public func revokeHost(id: String, event: Event, audit: AuditEntry) async throws -> EdgeHost {
        let host: EdgeHost? = try await write { db in
            guard var host = try EdgeHost.fetchOne(db, key: id) else { return nil }
            host.status = .revoked
            try host.update(db)
            try db.execute(sql: "DELETE FROM hostCredential WHERE hostID = ?", arguments: [id])
            var event = event
            try event.insert(db)
            try Self.append(audit, db)
            return host
        }
        guard let host else { throw SecurityError.unknownHost(id) }
        return host
    }

    /// Chains `entry` after the last record, inside the caller's transaction.
    static func append(_ entry: AuditEntry, _ db: Database) throws {
        let last = try Row.fetchOne(db, sql: "SELECT * FROM auditRecord ORDER BY sequence DESC LIMIT 1").map(auditRecord)
        let record = AuditRecord.next(
            after: last, time: entry.time, actor: entry.actor, action: entry.action, target: entry.target, reason: entry.reason)
        try db.execute(
            sql: """
                INSERT INTO auditRecord (sequence, timeMillis, actor, action, target, reason, previousHash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.sequence, record.timeMillis, record.actor, record.action, record.target, record.reason, record.previousHash, record.hash,
            ])
    }

    private static func auditRecord(_ row: Row) -> AuditRecord {
        AuditRecord(
            sequence: row["sequence"], timeMillis: row["timeMillis"], actor: row["actor"], action: row["action"], target: row["target"],
            reason: row["reason"], previousHash: row["previousHash"], hash: row["hash"])
    }

    private static func token(_ row: Row) -> APIToken {
        APIToken(
            id: row["id"], name: row["name"], tenantID: row["tenantID"], role: Role(rawValue: row["role"]) ?? .viewer, createdAt: row["createdAt"],
            expiresAt: row["expiresAt"], revokedAt: row["revokedAt"], createdBy: row["createdBy"])
    }
}
