import GRDB

extension Event: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "event"

    /// Columns for queries.
    public enum Columns {
        public static let id = Column("id")
        public static let time = Column("time")
        public static let severity = Column("severity")
        public static let subject = Column("subject")
        public static let kind = Column("kind")
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
