import Foundation

/// Which sites a deployment lands on: those whose labels match, that the application's tenant
/// may use, split into reachable and offline (offline sites are pending, never failed).
///
/// Holds row numbers into a shared ``PlacementIndex``; sites are materialised only when asked for.
public struct Placement: Sendable {
    public let index: PlacementIndex
    /// Rows whose labels match the selector, in rollout order.
    public let matchingRows: [Int]
    /// Matching rows the tenant may deploy to, in rollout order (country, then id).
    public let eligibleRows: [Int]
    /// Matching rows not assigned to the tenant.
    public let notAssignedRows: [Int]
    /// Eligible sites with no host online now.
    public let offline: Set<String>

    public var matching: [Site] { matchingRows.map { index.sites[$0] } }
    public var eligible: [Site] { eligibleRows.map { index.sites[$0] } }
    public var notAssigned: [Site] { notAssignedRows.map { index.sites[$0] } }
    /// Eligible site ids in rollout order.
    public var eligibleIDs: [String] { eligibleRows.map { index.ids[$0] } }

    /// Places `deployment` for `tenant`. `assignedSites` lists the tenant's sites (ignored for
    /// site providers, who own every site); `onlineSites` the sites with a host online.
    public static func place(
        _ deployment: DeploymentSpec, tenant: Tenant, sites: [Site], assignedSites: Set<String>, onlineSites: Set<String>
    ) throws -> Placement {
        try place(deployment, tenant: tenant, index: PlacementIndex(sites: sites), assignedSites: assignedSites, onlineSites: onlineSites)
    }

    /// Places `deployment` using an index built once for many deployments.
    public static func place(
        _ deployment: DeploymentSpec, tenant: Tenant, index: PlacementIndex, assignedSites: Set<String>, onlineSites: Set<String>
    ) throws -> Placement {
        try place(deployment, tenant: tenant, index: index, assignedRows: index.rows(in: assignedSites), onlineRows: index.rows(in: onlineSites))
    }

    /// Places `deployment` with the tenant's assigned sites and the online sites already resolved to
    /// rows of `index` (``PlacementIndex/rows(in:)``), so placing many deployments hashes no strings.
    public static func place(
        _ deployment: DeploymentSpec, tenant: Tenant, index: PlacementIndex, assignedRows: [Bool], onlineRows: [Bool]
    ) throws -> Placement {
        let matching = index.labels.matchingRows(try deployment.selector)
        var eligible: [Int] = []
        var notAssigned: [Int] = []
        eligible.reserveCapacity(matching.count)
        let ownsEverySite = tenant.kind == .siteProvider
        for row in matching where index.usable[row] {
            if ownsEverySite || assignedRows[row] {
                eligible.append(row)
            } else {
                notAssigned.append(row)
            }
        }
        var offline: Set<String> = []
        for row in eligible where !onlineRows[row] { offline.insert(index.ids[row]) }
        return Placement(index: index, matchingRows: matching, eligibleRows: eligible, notAssignedRows: notAssigned, offline: offline)
    }
}

/// Sites with their label index, built once and shared by every deployment placed against them.
public struct PlacementIndex: Sendable {
    /// In rollout order: by country, then id.
    public let sites: [Site]
    let labels: LabelIndex
    let ids: [String]
    /// A number per country, equal for sites of one country.
    let countries: [Int]
    /// Not decommissioned or locked down.
    let usable: [Bool]

    public init(sites: [Site]) {
        let ordered = sites.sorted { ($0.country, $0.id) < ($1.country, $1.id) }
        self.sites = ordered
        self.labels = LabelIndex(ordered.map(\.labels))
        self.ids = ordered.map(\.id)
        var numbers: [String: Int] = [:]
        self.countries = ordered.map { site in
            if let number = numbers[site.country] { return number }
            numbers[site.country] = numbers.count
            return numbers.count - 1
        }
        self.usable = ordered.map { $0.status != .decommissioned && $0.status != .lockedDown }
    }

    /// For each row, whether its site id is in `siteIDs`.
    public func rows(in siteIDs: Set<String>) -> [Bool] {
        ids.map { siteIDs.contains($0) }
    }
}
