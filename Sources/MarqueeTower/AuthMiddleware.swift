import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MarqueeCore

/// Authenticates and authorizes every operator route, and records writes in the audit trail.
///
/// `Authorization: Bearer <secret>` is either the tower's bootstrap admin token (`admin.token`,
/// a platform admin) or an API token (`mqt_…`, stored hashed, scoped to a tenant and a role,
/// expiring). The route's permission comes from ``RoutePolicy``; a route without one is refused.
/// Every successful write and every refused request is appended to the hash-chained audit trail
/// with the principal, the method and path, and the `X-Marquee-Reason` header if sent.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = TowerRequestContext
    let adminToken: String
    /// Resolves an API token's secret.
    let authenticate: @Sendable (String) async throws -> Principal?
    /// The tenant the bootstrap admin token acts in (the first site-provider tenant).
    let adminTenant: @Sendable () async throws -> String
    let audit: @Sendable (AuditEntry) async throws -> Void
    let clock: any FleetClock

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(.unauthorized, code: "auth.required", message: "send 'Authorization: Bearer <token>'", field: "Authorization")
        }
        let secret = String(header.dropFirst(7))
        let principal: Principal
        if Self.constantTimeEquals(Array(secret.utf8), Array(adminToken.utf8)) {
            principal = .bootstrapAdmin(tenantID: try await adminTenant())
        } else if let resolved = try await authenticate(secret) {
            principal = resolved
        } else {
            throw APIError(
                .unauthorized, code: "auth.invalid", message: "the token is not valid (unknown, expired or revoked)", field: "Authorization")
        }
        let path = context.endpointPath ?? request.uri.path
        let target = request.uri.path
        let reason = request.headers[.marqueeReason]
        guard let permission = RoutePolicy.permission(method: request.method, path: path) else {
            try await audit(AuditEntry(time: clock.now(), actor: principal.actor, action: "denied \(request.method) \(path)", target: target))
            throw APIError(.forbidden, code: "auth.unmapped", message: "\(request.method) \(path) has no authorization policy", field: nil)
        }
        guard principal.allows(permission) else {
            try await audit(AuditEntry(time: clock.now(), actor: principal.actor, action: "denied \(request.method) \(path)", target: target))
            throw APIError(
                .forbidden, code: "auth.forbidden", message: SecurityError.forbidden(principal: principal.actor, permission: permission).description,
                field: "Authorization")
        }
        var context = context
        context.principal = principal
        let response = try await next(request, context)
        if request.method != .get, response.status.code < 400, !RoutePolicy.auditedByService.contains("\(request.method) \(path)") {
            try await audit(
                AuditEntry(time: clock.now(), actor: principal.actor, action: "\(request.method) \(path)", target: target, reason: reason))
        }
        return response
    }

    private static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

extension HTTPField.Name {
    /// Why an operator made a change (`marquee … --reason`), kept in the audit trail.
    static let marqueeReason = Self("X-Marquee-Reason")!
}
