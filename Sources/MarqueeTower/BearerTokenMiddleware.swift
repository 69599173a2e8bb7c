import Hummingbird

/// Requires `Authorization: Bearer <admin token>` on operator routes.
///
/// The security issue replaces this with per-tenant, per-role hashed tokens; until then the tower
/// has one admin token, created at first start and written to a 0600 file (never logged).
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(.unauthorized, code: "auth.required", message: "send 'Authorization: Bearer <token>'", field: "Authorization")
        }
        guard Self.constantTimeEquals(Array(header.utf8.dropFirst(7)), Array(token.utf8)) else {
            throw APIError(.unauthorized, code: "auth.invalid", message: "the token is not valid", field: "Authorization")
        }
        return try await next(request, context)
    }

    private static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
