import Foundation
import GRDB

extension SQLiteFleetStore: SecretStore {
    public func tenantKey(tenantID: String) async throws -> WrappedTenantKey? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tenantKey WHERE tenantID = ?", arguments: [tenantID]).map(Self.tenantKey)
        }
    }

    public func tenantKeys() async throws -> [WrappedTenantKey] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM tenantKey ORDER BY tenantID").map(Self.tenantKey) }
    }

    public func saveTenantKey(_ key: WrappedTenantKey) async throws -> WrappedTenantKey {
        try await write(reportingChange: { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO tenantKey (tenantID, wrapped, masterKeyID) VALUES (?, ?, ?)",
                arguments: [key.tenantID, key.wrapped, key.masterKeyID])
            let stored = try Row.fetchOne(db, sql: "SELECT * FROM tenantKey WHERE tenantID = ?", arguments: [key.tenantID]).map(Self.tenantKey)
            return (stored ?? key, false)
        })
    }

    public func rewrapTenantKeys(_ keys: [WrappedTenantKey], audit: AuditEntry) async throws {
        try await write(reportingChange: { db in
            for key in keys {
                try db.execute(
                    sql: "UPDATE tenantKey SET wrapped = ?, masterKeyID = ? WHERE tenantID = ?",
                    arguments: [key.wrapped, key.masterKeyID, key.tenantID])
            }
            try Self.append(audit, db)
            return ((), false)
        })
    }

    public func vaultTenant(_ vault: String) async throws -> String? {
        try await read { db in try String.fetchOne(db, sql: "SELECT tenantID FROM vault WHERE name = ?", arguments: [vault]) }
    }

    public func saveSecret(_ info: SecretInfo, sealed: Data, audit: AuditEntry) async throws {
        let (vault, name) = Self.split(info.path)
        let apps = try Self.encode(info.apps)
        try await write(reportingChange: { db in
            try db.execute(sql: "INSERT OR IGNORE INTO vault (name, tenantID) VALUES (?, ?)", arguments: [vault, info.tenantID])
            try db.execute(
                sql: """
                    INSERT INTO secret (vault, name, apps, bytes, sealed, updatedAt, updatedBy) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(vault, name) DO UPDATE SET apps = excluded.apps, bytes = excluded.bytes, sealed = excluded.sealed,
                        updatedAt = excluded.updatedAt, updatedBy = excluded.updatedBy
                    """,
                arguments: [vault, name, apps, info.bytes, sealed, info.updatedAt, info.updatedBy])
            try Self.append(audit, db)
            return ((), false)
        })
    }

    public func secret(path: String) async throws -> (info: SecretInfo, sealed: Data)? {
        let (vault, name) = Self.split(path)
        return try await read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT s.*, v.tenantID FROM secret s JOIN vault v ON v.name = s.vault WHERE s.vault = ? AND s.name = ?",
                    arguments: [vault, name])
            else { return nil }
            return (try Self.secretInfo(row), row["sealed"])
        }
    }

    public func secrets(tenantID: String, vault: String?) async throws -> [SecretInfo] {
        try await read { db in
            var sql = "SELECT s.*, v.tenantID FROM secret s JOIN vault v ON v.name = s.vault WHERE v.tenantID = ?"
            var arguments: StatementArguments = [tenantID]
            if let vault {
                sql += " AND s.vault = ?"
                arguments += [vault]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY s.vault, s.name", arguments: arguments).map(Self.secretInfo)
        }
    }

    public func deleteSecret(path: String, audit: AuditEntry) async throws -> Bool {
        let (vault, name) = Self.split(path)
        return try await write(reportingChange: { db in
            try db.execute(sql: "DELETE FROM secret WHERE vault = ? AND name = ?", arguments: [vault, name])
            guard db.changesCount == 1 else { return (false, false) }
            try Self.append(audit, db)
            return (true, false)
        })
    }

    private static func split(_ path: String) -> (String, String) {
        let parts = path.split(separator: "/", maxSplits: 1).map(String.init)
        return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
    }

    private static func tenantKey(_ row: Row) -> WrappedTenantKey {
        WrappedTenantKey(tenantID: row["tenantID"], wrapped: row["wrapped"], masterKeyID: row["masterKeyID"])
    }

    private static func secretInfo(_ row: Row) throws -> SecretInfo {
        SecretInfo(
            path: "\(row["vault"] as String)/\(row["name"] as String)", tenantID: row["tenantID"], apps: try decode([String].self, row["apps"]),
            bytes: row["bytes"], updatedAt: row["updatedAt"], updatedBy: row["updatedBy"])
    }
}
