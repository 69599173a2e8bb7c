import GRDB

/// The `cluster` table: a cluster without its hosts (hosts point at their cluster).
struct ClusterRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "cluster"
    var id: String
    var siteID: String

    enum Columns {
        static let siteID = Column("siteID")
    }
}
