import Foundation
import HTTPTypes
import Hummingbird
import MarqueeCore

/// Tenants, API tokens and the audit trail under `/v1`.
struct SecurityController<Store: SecurityStore> {
    let security: SecurityService<Store>

    struct TenantRequest: Decodable {
        var id: String
        var name: String
        var kind: Tenant.Kind
    }

    struct TokenRequest: Decodable {
        var tenant: String
        var role: Role
        var name: String
        var ttlSeconds: Int?
    }

    func addRoutes(to group: RouterGroup<TowerRequestContext>) {
        addQuotaRoutes(to: group)
        group.get("tenants") { _, _ in try await handle { ListPayload(kind: "TenantList", items: try await security.tenants()) } }
        group.post("tenants") { request, context in
            try await handle {
                let body: TenantRequest = try await StrictJSON.decode(request, context: context, allowed: ["": ["id", "name", "kind"]])
                return Payload(
                    try await security.createTenant(Tenant(id: body.id, name: body.name, kind: body.kind), by: try context.requirePrincipal()))
            }
        }
        group.get("tokens") { request, context in
            try await handle {
                ListPayload(
                    kind: "TokenList",
                    items: try await security.tokens(tenantID: request.uri.queryParameters.get("tenant"), by: try context.requirePrincipal()))
            }
        }
        group.post("tokens") { request, context in
            try await handle {
                let body: TokenRequest = try await StrictJSON.decode(
                    request, context: context, allowed: ["": ["tenant", "role", "name", "ttlSeconds"]])
                let ttl = Duration.seconds(body.ttlSeconds ?? 30 * 86_400)
                return Payload(
                    try await security.createToken(
                        tenantID: body.tenant, role: body.role, name: body.name, ttl: ttl, by: try context.requirePrincipal()))
            }
        }
        group.delete("tokens/{id}") { request, context in
            try await handle {
                Payload(
                    try await security.revokeToken(
                        id: try context.parameters.require("id"), reason: request.headers[.marqueeReason], by: try context.requirePrincipal()))
            }
        }
        group.get("audit") { request, context in
            try await handle {
                let parameters = request.uri.queryParameters
                let after = try Self.integer(parameters.get("after"), named: "after") ?? 0
                let limit = try Self.integer(parameters.get("limit"), named: "limit") ?? 1_000
                return ListPayload(
                    kind: "AuditRecordList",
                    items: try await security.auditRecords(after: after, limit: Int(limit), by: try context.requirePrincipal()))
            }
        }
        group.post("sites/{id}/lockdown") { request, context in
            try await handle {
                let body: [String: String] = try await StrictJSON.decode(request, context: context, allowed: ["": ["reason"]])
                return Payload(
                    try await security.lockdown(
                        siteID: try context.parameters.require("id"), reason: body["reason"] ?? "", by: try context.requirePrincipal()))
            }
        }
        group.post("sites/{id}/unlock") { request, context in
            try await handle {
                let body: [String: String] = try await StrictJSON.decode(request, context: context, allowed: ["": ["reason"]])
                return Payload(
                    try await security.unlock(
                        siteID: try context.parameters.require("id"), reason: body["reason"] ?? "", by: try context.requirePrincipal()))
            }
        }
        group.post("hosts/{id}/revoke") { request, context in
            try await handle {
                let body: [String: String] = try await StrictJSON.decode(request, context: context, allowed: ["": ["reason"]])
                return Payload(
                    try await security.revokeHost(
                        hostID: try context.parameters.require("id"), reason: body["reason"] ?? "", by: try context.requirePrincipal()))
            }
        }
        group.get("audit/verify") { request, context in
            try await handle {
                Payload(try await security.verifyAudit(expectedHead: request.uri.queryParameters.get("head"), by: try context.requirePrincipal()))
            }
        }
    }

    private static func integer(_ text: String?, named name: String) throws -> Int64? {
        guard let text else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw APIError(.badRequest, code: "parameter.invalid", message: "\(name) must be a non-negative integer", field: name)
        }
        return value
    }

}
