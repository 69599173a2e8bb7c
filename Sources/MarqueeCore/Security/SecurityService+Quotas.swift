import Foundation

extension SecurityService {
    /// Sets `tenantID`'s quota at `siteID` (at every site without its own when nil). Platform
    /// admins only; audited.
    public func setQuota(
        tenantID: String, siteID: String?, cpu: Double?, memoryBytes: Int64?, storageBytes: Int64?, by principal: Principal
    ) async throws -> TenantQuota {
        try require(.manageTenants, principal)
        guard try await store.tenants().contains(where: { $0.id == tenantID }) else { throw SecurityError.unknownTenant(tenantID) }
        if let siteID, !(try await store.siteExists(siteID)) { throw SecurityError.unknownSite(siteID) }
        guard cpu != nil || memoryBytes != nil || storageBytes != nil else {
            throw SecurityError.invalidParameter(name: "quota", reason: "give at least one of cpu, memory and storage")
        }
        if let cpu, !(cpu > 0 && cpu <= 100_000) { throw SecurityError.invalidParameter(name: "cpu", reason: "must be more than 0 cores") }
        if let memoryBytes, memoryBytes <= 0 { throw SecurityError.invalidParameter(name: "memory", reason: "must be more than 0 bytes") }
        if let storageBytes, storageBytes <= 0 { throw SecurityError.invalidParameter(name: "storage", reason: "must be more than 0 bytes") }
        let quota = TenantQuota(
            tenantID: tenantID, siteID: siteID, cpu: cpu, memoryBytes: memoryBytes, storageBytes: storageBytes, updatedAt: clock.now(),
            updatedBy: principal.actor)
        try await store.saveQuota(
            quota,
            audit: AuditEntry(
                time: quota.updatedAt, actor: principal.actor, action: "quotas.set", target: tenantID, reason: "\(quota.scope): \(quota.limits)"))
        return quota
    }

    /// Quotas: an application owner sees its own tenant's; site providers see any (all when nil).
    public func quotas(tenantID: String?, by principal: Principal) async throws -> [TenantQuota] {
        try require(.read, principal)
        if principal.tenantKind == .applicationOwner {
            if let tenantID, tenantID != principal.tenantID { throw SecurityError.otherTenant(principal: principal.actor, tenant: tenantID) }
            return try await store.quotas(tenantID: principal.tenantID)
        }
        return try await store.quotas(tenantID: tenantID)
    }
}
