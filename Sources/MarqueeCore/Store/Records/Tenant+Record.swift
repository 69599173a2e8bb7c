import GRDB

extension Tenant: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "tenant"
}
