import Foundation
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

extension PreRegistration: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "preRegistration"
}

extension HostApproval: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "hostApproval"
}

extension ReportCursor: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "reportCursor"
}

/// The `hostMetrics` table: a host's latest load and free resources.
struct HostMetricsRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "hostMetrics"
    var hostID: String
    var time: Date
    var load1: Double
    var memoryAvailableBytes: Int64
    var diskFreeBytes: Int64
}
