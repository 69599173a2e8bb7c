import Foundation

/// What one tenant may use at one site (CPU, memory, storage), summed over its containers there.
///
/// A quota without a site applies at every site that has none of its own. Placement refuses a
/// deployment that would take the tenant past it, naming the quota; each container's own limits
/// are enforced by the runtime (cgroups in the process driver), so the total cannot be exceeded
/// either. Under a quota every container must request what it limits (CPU and memory).
public struct TenantQuota: Codable, Sendable, Equatable {
    public var tenantID: String
    /// Nil: the tenant's quota at every site without its own.
    public var siteID: String?
    public var cpu: Double?
    public var memoryBytes: Int64?
    public var storageBytes: Int64?
    public var updatedAt: Date
    public var updatedBy: String
    /// What the tenant's placed containers request where this quota applies: at its site, or at
    /// the busiest site it covers. Filled in when quotas are read; nil when nothing is placed.
    public var usage: QuotaUsage?

    public init(
        tenantID: String, siteID: String? = nil, cpu: Double? = nil, memoryBytes: Int64? = nil, storageBytes: Int64? = nil, updatedAt: Date,
        updatedBy: String, usage: QuotaUsage? = nil
    ) {
        self.usage = usage
        self.tenantID = tenantID
        self.siteID = siteID
        self.cpu = cpu
        self.memoryBytes = memoryBytes
        self.storageBytes = storageBytes
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    /// Where it applies, in words.
    public var scope: String { siteID.map { "at \($0)" } ?? "at each site" }

    /// `cpu 2, memory 4.0 GiB, storage 20.0 GiB` (only what it limits).
    public var limits: String {
        var parts: [String] = []
        if let cpu { parts.append("cpu \(Self.cores(cpu))") }
        if let memoryBytes { parts.append("memory \(Self.size(memoryBytes))") }
        if let storageBytes { parts.append("storage \(Self.size(storageBytes))") }
        return parts.isEmpty ? "no limits" : parts.joined(separator: ", ")
    }

    /// The largest share of a limit that `used` takes (1 = at the quota), or nil without limits.
    public func utilisation(of used: ResourceRequest) -> Double? {
        var shares: [Double] = []
        if let cpu { shares.append(used.cpu / cpu) }
        if let memoryBytes { shares.append(Double(used.memoryBytes) / Double(memoryBytes)) }
        if let storageBytes { shares.append(Double(used.storageBytes) / Double(storageBytes)) }
        return shares.max()
    }

    /// Why `used` (the tenant's total at the site with the new placement) is over this quota, or
    /// nil when it fits.
    public func violation(used: ResourceRequest) -> String? {
        var over: [String] = []
        if let cpu, used.cpu > cpu + 1e-9 { over.append("CPU \(Self.cores(used.cpu)) > \(Self.cores(cpu))") }
        if let memoryBytes, used.memoryBytes > memoryBytes { over.append("memory \(Self.size(used.memoryBytes)) > \(Self.size(memoryBytes))") }
        if let storageBytes, used.storageBytes > storageBytes {
            over.append("storage \(Self.size(used.storageBytes)) > \(Self.size(storageBytes))")
        }
        return over.isEmpty ? nil : over.joined(separator: ", ")
    }

    public static func cores(_ value: Double) -> String {
        value < 1 ? "\(Int((value * 1_000).rounded()))m" : String(format: value == value.rounded() ? "%.0f" : "%.2f", value)
    }

    public static func size(_ bytes: Int64) -> String {
        let gib = Double(bytes) / 1_073_741_824
        return gib >= 1 ? String(format: "%.1f GiB", gib) : String(format: "%.0f MiB", Double(bytes) / 1_048_576)
    }
}

/// Storage for quotas and what tenants use.
public protocol QuotaStore: Sendable {
    /// Quotas of `tenantID` (every tenant's when nil), site-wide ones first.
    func quotas(tenantID: String?) async throws -> [TenantQuota]
    /// The quota that applies to `tenantID` at `siteID`: the site's own, else the tenant's default.
    func quota(tenantID: String, siteID: String) async throws -> TenantQuota?
    /// Stores (replaces) a quota, with its audit record, in one transaction.
    func saveQuota(_ quota: TenantQuota, audit: AuditEntry) async throws
    /// Whether the site exists.
    func siteExists(_ siteID: String) async throws -> Bool
    /// What `tenantID`'s containers at `siteID` request, without `excludingApplication`'s.
    func tenantUsage(tenantID: String, siteID: String, excludingApplication: String?) async throws -> ResourceRequest
    /// What `tenantID`'s containers request, by site (sites without any are absent).
    func tenantUsageBySite(tenantID: String) async throws -> [String: ResourceRequest]
}

/// What a tenant's containers request where a quota applies.
public struct QuotaUsage: Codable, Sendable, Equatable {
    /// The site measured: the quota's own, or the busiest one an each-site quota covers.
    public var siteID: String
    public var cpu: Double
    public var memoryBytes: Int64
    public var storageBytes: Int64
    /// The largest share of a limit in use (1 = at the quota).
    public var utilisation: Double

    public init(siteID: String, used: ResourceRequest, utilisation: Double) {
        self.siteID = siteID
        self.cpu = used.cpu
        self.memoryBytes = used.memoryBytes
        self.storageBytes = used.storageBytes
        self.utilisation = utilisation
    }
}
