import GRDB

extension EnrollmentTokenRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "enrollmentToken"
}

/// The `hostCredential` table: a host's credential hash.
struct HostCredentialRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "hostCredential"
    var hostID: String
    var credentialHash: String
}
