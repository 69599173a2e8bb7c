import GRDB

extension Application: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "application"
}
