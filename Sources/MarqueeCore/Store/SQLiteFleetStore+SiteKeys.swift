import Foundation
import GRDB

extension SQLiteFleetStore: SiteKeyStore {
    public func siteKey(siteID: String) async throws -> WrappedSiteKey? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM siteKey WHERE siteID = ?", arguments: [siteID]).map(Self.siteKey) }
    }

    public func saveSiteKey(_ key: WrappedSiteKey) async throws -> WrappedSiteKey {
        try await write(reportingChange: { db in
            try db.execute(
                sql: """
                    INSERT INTO siteKey (siteID, epoch, wrapped, masterKeyID, createdAt, retired) VALUES (?, ?, ?, ?, ?, 0)
                    ON CONFLICT(siteID) DO UPDATE SET epoch = excluded.epoch, wrapped = excluded.wrapped,
                        masterKeyID = excluded.masterKeyID, createdAt = excluded.createdAt, retired = 0
                    WHERE excluded.epoch > siteKey.epoch
                    """,
                arguments: [key.siteID, key.epoch, key.wrapped, key.masterKeyID, key.createdAt])
            let stored = try Row.fetchOne(db, sql: "SELECT * FROM siteKey WHERE siteID = ?", arguments: [key.siteID]).map(Self.siteKey)
            return (stored ?? key, false)
        })
    }

    private static func siteKey(_ row: Row) -> WrappedSiteKey {
        WrappedSiteKey(
            siteID: row["siteID"], epoch: row["epoch"], wrapped: row["wrapped"], masterKeyID: row["masterKeyID"], createdAt: row["createdAt"],
            retired: row["retired"])
    }
}
