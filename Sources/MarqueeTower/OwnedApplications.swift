import Foundation
import MarqueeCore

/// What an application owner may see of fleet-wide data: only what concerns its own applications.
struct OwnedApplications: Sendable {
    /// The names of `tenantID`'s applications.
    let names: @Sendable (_ tenantID: String) async throws -> Set<String>

    /// The applications the caller may see, or nil for a site provider (everything).
    func visible(to principal: Principal?) async throws -> Set<String>? {
        guard let principal, principal.tenantKind == .applicationOwner else { return nil }
        return try await names(principal.tenantID)
    }

    /// Whether an event is about one of `apps`: its rollouts (`rollout/APP-VERSION`) or the app
    /// itself (`app/APP`). Host, site and upgrade events are the site provider's.
    static func concerns(_ event: Event, _ apps: Set<String>) -> Bool {
        let parts = event.subject.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return false }
        switch parts[0] {
        case "app": return apps.contains(parts[1])
        case "rollout":
            // A rollout id is APP-VERSION and versions start with a digit.
            return apps.contains { app in
                parts[1].hasPrefix(app + "-") && parts[1].dropFirst(app.count + 1).first?.isNumber == true
            }
        default: return false
        }
    }
}
