import GRDB

extension ContainerInstance: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "containerInstance"

    /// Columns for queries.
    public enum Columns {
        public static let hostID = Column("hostID")
    }
}
