import Hummingbird
import MarqueeCore

/// The tower's request context: Hummingbird's core storage plus the caller that
/// ``AuthMiddleware`` authenticated (nil on unauthenticated routes: health, metrics, agents).
public struct TowerRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who is calling; set for every route under `/v1` except `/v1/agent` and the spec.
    public var principal: Principal?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.principal = nil
    }

    /// The authenticated caller; a 401 on a route that has none (never under `/v1`'s middleware).
    func requirePrincipal() throws -> Principal {
        guard let principal else {
            throw APIError(.unauthorized, code: "auth.required", message: "send 'Authorization: Bearer <token>'", field: "Authorization")
        }
        return principal
    }

    /// The actor recorded in events: the token's principal, with the name a client claims for
    /// itself (`--actor`, the local user) kept as "claimed via principal".
    func actor(claimed: String?) -> String {
        guard let principal else { return claimed ?? "api" }
        guard let claimed, !claimed.isEmpty, claimed != principal.name else { return principal.actor }
        return "\(claimed) via \(principal.actor)"
    }
}
