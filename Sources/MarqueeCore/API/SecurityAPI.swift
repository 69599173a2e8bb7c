import Foundation

/// Tenants, API tokens and the audit trail, the same through a local database or a tower.
public protocol SecurityAPI: Sendable {
    func tenants() async throws -> [Tenant]
    func createTenant(_ tenant: Tenant) async throws -> Tenant
    /// A new token; its secret is in the result and nowhere else.
    func createToken(tenantID: String, role: Role, name: String, ttl: Duration) async throws -> IssuedToken
    func tokens(tenantID: String?) async throws -> [APIToken]
    func revokeToken(id: String, reason: String?) async throws -> APIToken
    func auditRecords(after sequence: Int64, limit: Int) async throws -> [AuditRecord]
    func verifyAudit(expectedHead: String?) async throws -> AuditChain.Verification
    func lockdown(siteID: String, reason: String) async throws -> SiteLockdownChange
    func unlock(siteID: String, reason: String) async throws -> SiteLockdownChange
    func revokeHost(hostID: String, reason: String) async throws -> EdgeHost
    /// Sets a tenant's quota at a site (every site without its own when `siteID` is nil).
    func setQuota(tenantID: String, siteID: String?, cpu: Double?, memoryBytes: Int64?, storageBytes: Int64?) async throws -> TenantQuota
    func quotas(tenantID: String?) async throws -> [TenantQuota]
}

/// ``SecurityAPI`` on a local database, acting as `principal` (the CLI passes a platform admin
/// named after the local user: whoever can open the database file can already change anything).
public struct LocalSecurityAPI<Store: SecurityStore>: SecurityAPI {
    let service: SecurityService<Store>
    let principal: Principal

    public init(service: SecurityService<Store>, principal: Principal) {
        self.service = service
        self.principal = principal
    }

    public func tenants() async throws -> [Tenant] { try await service.tenants() }
    public func createTenant(_ tenant: Tenant) async throws -> Tenant { try await service.createTenant(tenant, by: principal) }
    public func createToken(tenantID: String, role: Role, name: String, ttl: Duration) async throws -> IssuedToken {
        try await service.createToken(tenantID: tenantID, role: role, name: name, ttl: ttl, by: principal)
    }
    public func tokens(tenantID: String?) async throws -> [APIToken] { try await service.tokens(tenantID: tenantID, by: principal) }
    public func revokeToken(id: String, reason: String?) async throws -> APIToken {
        try await service.revokeToken(id: id, reason: reason, by: principal)
    }
    public func auditRecords(after sequence: Int64, limit: Int) async throws -> [AuditRecord] {
        try await service.auditRecords(after: sequence, limit: limit, by: principal)
    }
    public func verifyAudit(expectedHead: String?) async throws -> AuditChain.Verification {
        try await service.verifyAudit(expectedHead: expectedHead, by: principal)
    }
    public func lockdown(siteID: String, reason: String) async throws -> SiteLockdownChange {
        try await service.lockdown(siteID: siteID, reason: reason, by: principal)
    }
    public func unlock(siteID: String, reason: String) async throws -> SiteLockdownChange {
        try await service.unlock(siteID: siteID, reason: reason, by: principal)
    }
    public func revokeHost(hostID: String, reason: String) async throws -> EdgeHost {
        try await service.revokeHost(hostID: hostID, reason: reason, by: principal)
    }
    public func setQuota(tenantID: String, siteID: String?, cpu: Double?, memoryBytes: Int64?, storageBytes: Int64?) async throws -> TenantQuota {
        try await service.setQuota(tenantID: tenantID, siteID: siteID, cpu: cpu, memoryBytes: memoryBytes, storageBytes: storageBytes, by: principal)
    }
    public func quotas(tenantID: String?) async throws -> [TenantQuota] { try await service.quotas(tenantID: tenantID, by: principal) }
}
