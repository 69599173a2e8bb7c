import Foundation

/// What a security-relevant write records in the audit trail (the store chains it).
public struct AuditEntry: Sendable, Equatable {
    public var time: Date
    public var actor: String
    public var action: String
    public var target: String
    public var reason: String?

    public init(time: Date, actor: String, action: String, target: String, reason: String? = nil) {
        self.time = time
        self.actor = actor
        self.action = action
        self.target = target
        self.reason = reason
    }
}

/// Tenants, API tokens and the audit trail. Every write appends its audit record in the same
/// transaction, so a change and its record exist together or not at all.
public protocol SecurityStore: QuotaStore {
    func tenants() async throws -> [Tenant]
    func createTenant(_ tenant: Tenant, audit: AuditEntry) async throws
    func saveToken(_ token: APIToken, secretHash: String, audit: AuditEntry) async throws
    /// The token whose secret hashes to `secretHash`, valid or not.
    func token(secretHash: String) async throws -> APIToken?
    func token(id: String) async throws -> APIToken?
    /// Tokens of one tenant, or of all with `nil`, newest first.
    func tokens(tenantID: String?) async throws -> [APIToken]
    func revokeToken(id: String, at time: Date, audit: AuditEntry) async throws
    func appendAudit(_ entry: AuditEntry) async throws
    /// Records after `sequence` (all with 0), oldest first, at most `limit`.
    func auditRecords(after sequence: Int64, limit: Int) async throws -> [AuditRecord]
    /// Locks the site (`lockedDown`, its outstanding enrollment tokens deleted) or unlocks it
    /// (`active`), with the event and audit record, in one transaction. Throws ``SecurityError``
    /// for an unknown site, or one already in that state.
    func setLockdown(siteID: String, locked: Bool, event: Event, audit: AuditEntry) async throws -> SiteLockdownChange
    /// Marks the host `revoked` and deletes its credential: its next call is refused.
    func revokeHost(id: String, event: Event, audit: AuditEntry) async throws -> EdgeHost
}

/// What a lockdown or unlock changed.
public struct SiteLockdownChange: Codable, Sendable, Equatable {
    public var site: Site
    /// Enrollment tokens of the site deleted by a lockdown.
    public var enrollmentTokensRevoked: Int
    /// The site's hosts (their agents are told).
    public var hostIDs: [String]

    public init(site: Site, enrollmentTokensRevoked: Int, hostIDs: [String]) {
        self.site = site
        self.enrollmentTokensRevoked = enrollmentTokensRevoked
        self.hostIDs = hostIDs
    }
}
