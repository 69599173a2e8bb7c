import Foundation
import GRDB

extension SQLiteFleetStore: QuotaStore {
    public func quotas(tenantID: String?) async throws -> [TenantQuota] {
        try await read { db in
            let rows =
                if let tenantID {
                    try Row.fetchAll(db, sql: "SELECT * FROM tenantQuota WHERE tenantID = ? ORDER BY tenantID, siteID", arguments: [tenantID])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM tenantQuota ORDER BY tenantID, siteID")
                }
            return rows.map(Self.quota)
        }
    }

    public func quota(tenantID: String, siteID: String) async throws -> TenantQuota? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM tenantQuota WHERE tenantID = ? AND siteID IN (?, '') ORDER BY siteID DESC LIMIT 1",
                arguments: [tenantID, siteID]
            ).map(Self.quota)
        }
    }

    public func saveQuota(_ quota: TenantQuota, audit: AuditEntry) async throws {
        try await write(reportingChange: { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO tenantQuota (tenantID, siteID, cpu, memoryBytes, storageBytes, updatedAt, updatedBy)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    quota.tenantID, quota.siteID ?? "", quota.cpu, quota.memoryBytes, quota.storageBytes, quota.updatedAt, quota.updatedBy,
                ])
            try Self.append(audit, db)
            return ((), true)
        })
    }

    public func siteExists(_ siteID: String) async throws -> Bool {
        try await read { db in try Site.exists(db, key: siteID) }
    }

    public func tenantUsage(tenantID: String, siteID: String, excludingApplication: String?) async throws -> ResourceRequest {
        try await read { db in
            let containers = try ContainerInstance.fetchAll(
                db,
                sql: """
                    SELECT c.* FROM containerInstance c JOIN host h ON h.id = c.hostID
                    WHERE h.siteID = ? AND c.tenantID = ? AND c.app IS NOT ?
                    """, arguments: [siteID, tenantID, excludingApplication])
            var specs: [String: ApplicationSpec] = [:]
            return try containers.reduce(ResourceRequest()) { total, container in
                total + (try Self.requested(by: container, specs: &specs, db: db) ?? ResourceRequest())
            }
        }
    }

    public func tenantUsageBySite(tenantID: String) async throws -> [String: ResourceRequest] {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT h.siteID AS siteID, c.* FROM containerInstance c JOIN host h ON h.id = c.hostID WHERE c.tenantID = ?",
                arguments: [tenantID])
            var specs: [String: ApplicationSpec] = [:]
            var usage: [String: ResourceRequest] = [:]
            for row in rows {
                let container = try ContainerInstance(row: row)
                let siteID: String = row["siteID"]
                usage[siteID, default: ResourceRequest()] =
                    usage[siteID, default: ResourceRequest()] + (try Self.requested(by: container, specs: &specs, db: db) ?? ResourceRequest())
            }
            return usage
        }
    }

    /// What `container` requests, from its application's stored spec (cached in `specs`).
    static func requested(by container: ContainerInstance, specs: inout [String: ApplicationSpec], db: Database) throws -> ResourceRequest? {
        let key = "\(container.app)@\(container.version)"
        if specs[key] == nil,
            let text = try String.fetchOne(
                db, sql: "SELECT spec FROM applicationSpec WHERE name = ? AND version = ?", arguments: [container.app, container.version])
        {
            specs[key] = try decode(ApplicationSpec.self, text)
        }
        return specs[key].flatMap { SiteScheduler.containerSpec(for: container, in: $0) }?.resources
    }

    private static func quota(_ row: Row) -> TenantQuota {
        let site: String = row["siteID"]
        return TenantQuota(
            tenantID: row["tenantID"], siteID: site.isEmpty ? nil : site, cpu: row["cpu"], memoryBytes: row["memoryBytes"],
            storageBytes: row["storageBytes"], updatedAt: row["updatedAt"], updatedBy: row["updatedBy"])
    }
}
