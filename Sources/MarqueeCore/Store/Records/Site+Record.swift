import GRDB

extension Site: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "site"

    /// Columns for queries.
    public enum Columns {
        public static let id = Column("id")
        public static let country = Column("country")
    }
}
