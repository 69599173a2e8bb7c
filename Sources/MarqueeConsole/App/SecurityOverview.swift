import Foundation
import MarqueeCore

/// What the Security view shows: tenants with their quotas, the newest audit records and whether
/// the audit chain verifies.
public struct SecurityOverview: Sendable, Equatable {
    public var tenants: [Tenant]
    public var quotas: [TenantQuota]
    /// Newest first.
    public var audit: [AuditRecord]
    /// Nil when the caller may not verify the whole chain (only platform admins may).
    public var verification: AuditChain.Verification?

    /// Audit records the view reads at most.
    static let auditLimit = 300

    public init(tenants: [Tenant], quotas: [TenantQuota], audit: [AuditRecord], verification: AuditChain.Verification?) {
        self.tenants = tenants
        self.quotas = quotas
        self.audit = audit
        self.verification = verification
    }

    /// Reads it through `security` (the chain is verified, then its newest records are read).
    public static func load(from security: any SecurityAPI) async throws -> SecurityOverview {
        async let tenants = security.tenants()
        async let quotas = security.quotas(tenantID: nil)
        let verification: AuditChain.Verification?
        let audit: [AuditRecord]
        do {
            let verified = try await security.verifyAudit(expectedHead: nil)
            audit = try await security.auditRecords(after: max(0, Int64(verified.records) - Int64(auditLimit)), limit: auditLimit)
            verification = verified
        } catch let error as any AccessDenial where error.deniesAccess {
            // A tenant admin reads its own tenant's records (few); others none.
            audit = (try? await security.auditRecords(after: 0, limit: 100_000).suffix(auditLimit).map { $0 }) ?? []
            verification = nil
        }
        return SecurityOverview(tenants: try await tenants, quotas: try await quotas, audit: audit.reversed(), verification: verification)
    }

    /// `quotas: TENANT LIMITS SCOPE; …` for tenants that have one, else the tenant count.
    func quotaSummary() -> String {
        guard !quotas.isEmpty else { return "\(tenants.count) tenants, no quotas" }
        return "quotas: " + quotas.map { "\($0.tenantID) \($0.limits) \($0.scope)" }.joined(separator: "; ")
    }
}
