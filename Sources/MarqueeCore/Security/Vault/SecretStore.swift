import Foundation

/// A secret as listed: never its value.
public struct SecretInfo: Codable, Sendable, Equatable {
    /// `VAULT/NAME`.
    public var path: String
    public var tenantID: String
    /// Applications allowed to receive it (empty: any of the tenant's).
    public var apps: [String]
    public var bytes: Int
    public var updatedAt: Date
    public var updatedBy: String

    public init(path: String, tenantID: String, apps: [String], bytes: Int, updatedAt: Date, updatedBy: String) {
        self.path = path
        self.tenantID = tenantID
        self.apps = apps
        self.bytes = bytes
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// A tenant's data key as stored: wrapped by the master key `masterKeyID`.
public struct WrappedTenantKey: Sendable, Equatable {
    public var tenantID: String
    public var wrapped: Data
    public var masterKeyID: String

    public init(tenantID: String, wrapped: Data, masterKeyID: String) {
        self.tenantID = tenantID
        self.wrapped = wrapped
        self.masterKeyID = masterKeyID
    }
}

/// Sealed secrets and wrapped tenant keys. Writes append their audit record in the same transaction.
public protocol SecretStore: Sendable {
    func tenantKey(tenantID: String) async throws -> WrappedTenantKey?
    func tenantKeys() async throws -> [WrappedTenantKey]
    /// Stores `key` unless the tenant has one already; returns the one stored.
    func saveTenantKey(_ key: WrappedTenantKey) async throws -> WrappedTenantKey
    /// Replaces every wrapped key at once (master key rotation), with its audit record.
    func rewrapTenantKeys(_ keys: [WrappedTenantKey], audit: AuditEntry) async throws
    /// The vault's owning tenant, if the vault exists.
    func vaultTenant(_ vault: String) async throws -> String?
    func saveSecret(_ info: SecretInfo, sealed: Data, audit: AuditEntry) async throws
    func secret(path: String) async throws -> (info: SecretInfo, sealed: Data)?
    func secrets(tenantID: String, vault: String?) async throws -> [SecretInfo]
    /// Deletes it; false when there was none.
    func deleteSecret(path: String, audit: AuditEntry) async throws -> Bool
    func appendAudit(_ entry: AuditEntry) async throws
}
