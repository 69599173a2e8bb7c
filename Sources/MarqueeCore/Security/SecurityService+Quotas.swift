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
            return try await withUsage(try await store.quotas(tenantID: principal.tenantID))
        }
        return try await withUsage(try await store.quotas(tenantID: tenantID))
    }

    /// Each quota with what its tenant uses where it applies: at its own site, or at the busiest
    /// site among those without a quota of their own.
    private func withUsage(_ quotas: [TenantQuota]) async throws -> [TenantQuota] {
        var usageByTenant: [String: [String: ResourceRequest]] = [:]
        for tenant in Set(quotas.map(\.tenantID)) { usageByTenant[tenant] = try await store.tenantUsageBySite(tenantID: tenant) }
        return quotas.map { quota in
            var quota = quota
            let usage = usageByTenant[quota.tenantID] ?? [:]
            let ownSites = Set(quotas.filter { $0.tenantID == quota.tenantID }.compactMap(\.siteID))
            let candidates =
                quota.siteID.map { site in usage[site].map { [(site, $0)] } ?? [] }
                ?? usage.filter { !ownSites.contains($0.key) }.map { ($0.key, $0.value) }
            let busiest = candidates.map { (site: $0.0, used: $0.1, share: quota.utilisation(of: $0.1) ?? 0) }
                .max { ($0.share, $1.site) < ($1.share, $0.site) }
            quota.usage = busiest.map { QuotaUsage(siteID: $0.site, used: $0.used, utilisation: $0.share) }
            return quota
        }
    }
}
