import GRDB

extension EdgeHost: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "host"

    /// Columns for queries.
    public enum Columns {
        public static let id = Column("id")
        public static let siteID = Column("siteID")
        public static let clusterID = Column("clusterID")
        public static let status = Column("status")
        public static let serialNumber = Column("serialNumber")
    }
}
