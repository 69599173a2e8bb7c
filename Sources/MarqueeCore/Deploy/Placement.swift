import Foundation

/// Which sites a deployment lands on: those whose labels match, that the application's tenant
/// may use, split into reachable and offline (offline sites are pending, never failed).
public struct Placement: Sendable, Equatable {
    /// Sites whose labels match the selector.
    public var matching: [Site]
    /// Matching sites the tenant may deploy to, in rollout order (country, then id).
    public var eligible: [Site]
    /// Matching sites not assigned to the tenant.
    public var notAssigned: [Site]
    /// Eligible sites with no host online now.
    public var offline: Set<String>

    /// Places `deployment` for `tenant`. `assignedSites` lists the tenant's sites (ignored for
    /// site providers, who own every site); `onlineSites` the sites with a host online.
    public static func place(
        _ deployment: DeploymentSpec, tenant: Tenant, sites: [Site], assignedSites: Set<String>, onlineSites: Set<String>
    ) throws -> Placement {
        let selector = try deployment.selector
        let matching = LabelIndex(sites.map(\.labels)).matchingRows(selector).map { sites[$0] }
        let usable = matching.filter { $0.status != .decommissioned && $0.status != .lockedDown }
        let eligible =
            tenant.kind == .siteProvider ? usable : usable.filter { assignedSites.contains($0.id) }
        let notAssigned = tenant.kind == .siteProvider ? [] : usable.filter { !assignedSites.contains($0.id) }
        return Placement(
            matching: matching, eligible: eligible.sorted { ($0.country, $0.id) < ($1.country, $1.id) }, notAssigned: notAssigned,
            offline: Set(eligible.map(\.id)).subtracting(onlineSites))
    }
}
