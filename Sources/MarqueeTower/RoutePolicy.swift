import HTTPTypes
import MarqueeCore

/// The permission every operator route needs, by method and route pattern.
///
/// ``AuthMiddleware`` refuses a route missing here (fail closed), and `AuthorizationMatrixTests`
/// walks the router's own route list against it for every role and tenant kind, so a new route
/// cannot ship without a decision.
public enum RoutePolicy {
    /// `"METHOD /v1/path/{param}"` → permission.
    public static let permissions: [String: Permission] = [
        "GET /v1/summary": .read,
        "GET /v1/countries": .read,
        "GET /v1/revision": .read,
        "GET /v1/changes": .read,
        "GET /v1/sites": .read,
        "GET /v1/sites/{id}": .read,
        "GET /v1/hosts": .read,
        "GET /v1/hosts/{id}": .read,
        "GET /v1/events": .read,
        "GET /v1/apps": .read,
        "GET /v1/rollouts": .read,
        "GET /v1/rollouts/{id}": .read,
        "GET /v1/probes/series": .read,
        "GET /v1/probes/top": .read,
        "GET /v1/probes/heatmap": .read,
        "GET /v1/logs": .read,
        "GET /v1/tenants": .read,
        "GET /v1/quotas": .read,
        // Host internals: kernel and runtime cohorts, cross-layer timelines, topology, upgrades.
        "GET /v1/probes/cohorts": .readInfrastructure,
        "GET /v1/logs/correlate": .readInfrastructure,
        "GET /v1/topology": .readInfrastructure,
        "GET /v1/upgrades": .readInfrastructure,
        "GET /v1/upgrades/{name}": .readInfrastructure,
        "POST /v1/apply": .deploy,
        "POST /v1/plan": .deploy,
        "POST /v1/rollouts/{id}/{command}": .deploy,
        "POST /v1/enroll-tokens": .operateHosts,
        "POST /v1/hosts/{id}/approve": .operateHosts,
        "POST /v1/hosts/{id}/reject": .operateHosts,
        "POST /v1/preregistrations": .operateHosts,
        "POST /v1/upgrades/plan": .upgrade,
        "POST /v1/upgrades": .upgrade,
        "POST /v1/upgrades/{name}/{command}": .upgrade,
        "GET /v1/tokens": .manageTokens,
        "POST /v1/tokens": .manageTokens,
        "DELETE /v1/tokens/{id}": .manageTokens,
        "GET /v1/audit": .manageTokens,
        "POST /v1/sites/{id}/lockdown": .lockdown,
        "POST /v1/hosts/{id}/revoke": .lockdown,
        "POST /v1/sites/{id}/unlock": .unlock,
        "GET /v1/secrets": .secrets,
        "PUT /v1/secrets/{vault}/{name}": .secrets,
        "GET /v1/secrets/{vault}/{name}": .secrets,
        "DELETE /v1/secrets/{vault}/{name}": .secrets,
        "POST /v1/tenants": .manageTenants,
        "PUT /v1/tenants/{id}/quota": .manageTenants,
        "GET /v1/audit/verify": .manageTenants,
    ]

    /// Writes whose service appends its own, more precise audit record (the middleware does not
    /// record them a second time).
    public static let auditedByService: Set<String> = [
        "POST /v1/tenants", "PUT /v1/tenants/{id}/quota", "POST /v1/tokens", "DELETE /v1/tokens/{id}", "POST /v1/sites/{id}/lockdown",
        "POST /v1/sites/{id}/unlock",
        "POST /v1/hosts/{id}/revoke", "PUT /v1/secrets/{vault}/{name}", "DELETE /v1/secrets/{vault}/{name}",
    ]

    /// The permission for a request, or `nil` when the route has none (refused).
    public static func permission(method: HTTPRequest.Method, path: String) -> Permission? {
        permissions["\(method.rawValue) \(path.hasPrefix("/") ? path : "/" + path)"]
    }
}
