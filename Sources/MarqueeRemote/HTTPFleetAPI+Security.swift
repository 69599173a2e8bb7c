import AsyncHTTPClient
import Foundation
import MarqueeCore
import NIOHTTP1

/// ``SecurityAPI`` against a tower: `marquee tenants|tokens|audit … --tower URL`.
extension HTTPFleetAPI: SecurityAPI {
    private struct TokenRequest: Encodable {
        var tenant: String
        var role: Role
        var name: String
        var ttlSeconds: Int
    }

    private struct Empty: Encodable {}

    private struct QuotaRequest: Encodable {
        var site: String?
        var cpu: Double?
        var memoryBytes: Int64?
        var storageBytes: Int64?
    }

    private var security: TowerClient {
        get throws { try TowerClient(baseURL: baseURL, client: client) }
    }

    public func tenants() async throws -> [Tenant] {
        let list: List<Tenant> = try await get("/v1/tenants")
        return list.items
    }

    public func createTenant(_ tenant: Tenant) async throws -> Tenant {
        let client = try security
        let (status, data) = try await client.send("/v1/tenants", body: tenant, bearer: token)
        return try client.decode(Tenant.self, from: data, path: "/v1/tenants", status: status)
    }

    public func createToken(tenantID: String, role: Role, name: String, ttl: Duration) async throws -> IssuedToken {
        let client = try security
        let body = TokenRequest(tenant: tenantID, role: role, name: name, ttlSeconds: Int(ttl.components.seconds))
        let (status, data) = try await client.send("/v1/tokens", body: body, bearer: token)
        return try client.decode(IssuedToken.self, from: data, path: "/v1/tokens", status: status)
    }

    public func tokens(tenantID: String?) async throws -> [APIToken] {
        let list: List<APIToken> = try await get("/v1/tokens", query: [("tenant", tenantID)])
        return list.items
    }

    public func revokeToken(id: String, reason: String?) async throws -> APIToken {
        let client = try security
        let path = "/v1/tokens/\(Self.escape(id))"
        let (status, data) = try await client.send(path, body: Empty(), bearer: token, method: .DELETE, reason: reason)
        return try client.decode(APIToken.self, from: data, path: path, status: status)
    }

    public func auditRecords(after sequence: Int64, limit: Int) async throws -> [AuditRecord] {
        let list: List<AuditRecord> = try await get("/v1/audit", query: [("after", String(sequence)), ("limit", String(limit))])
        return list.items
    }

    public func verifyAudit(expectedHead: String?) async throws -> AuditChain.Verification {
        try await get("/v1/audit/verify", query: [("head", expectedHead)])
    }

    public func lockdown(siteID: String, reason: String) async throws -> SiteLockdownChange {
        try await security.postAction("/v1/sites/\(Self.escape(siteID))/lockdown", body: ["reason": reason], bearer: token)
    }

    public func unlock(siteID: String, reason: String) async throws -> SiteLockdownChange {
        try await security.postAction("/v1/sites/\(Self.escape(siteID))/unlock", body: ["reason": reason], bearer: token)
    }

    public func revokeHost(hostID: String, reason: String) async throws -> EdgeHost {
        try await security.postAction("/v1/hosts/\(Self.escape(hostID))/revoke", body: ["reason": reason], bearer: token)
    }

    public func setQuota(tenantID: String, siteID: String?, cpu: Double?, memoryBytes: Int64?, storageBytes: Int64?) async throws -> TenantQuota {
        let client = try security
        let path = "/v1/tenants/\(Self.escape(tenantID))/quota"
        let body = QuotaRequest(site: siteID, cpu: cpu, memoryBytes: memoryBytes, storageBytes: storageBytes)
        let (status, data) = try await client.send(path, body: body, bearer: token, method: .PUT)
        return try client.decode(TenantQuota.self, from: data, path: path, status: status)
    }

    public func quotas(tenantID: String?) async throws -> [TenantQuota] {
        let list: List<TenantQuota> = try await get("/v1/quotas", query: [("tenant", tenantID)])
        return list.items
    }
}
