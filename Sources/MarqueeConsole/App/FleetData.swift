import Foundation
import MarqueeCore

/// Everything the console shows, as read through ``FleetAPI`` in one refresh.
public struct FleetData: Sendable, Equatable {
    public var summary: FleetSummary
    public var countries: [CountrySummary]
    public var sites: [SiteSummary]
    public var hosts: [EdgeHost]
    public var events: [Event]
    /// Applications and rollouts (empty when the console has no deployment engine to ask).
    public var apps: [ApplicationStatus]
    public var rollouts: [RolloutSummary]
    /// Infrastructure upgrade plans (empty when the console has no upgrade engine to ask).
    public var upgrades: [Upgrade]
    /// Hosts by site id, ordered by host id.
    public let hostsBySite: [String: [EdgeHost]]
    /// Sites by id.
    public let sitesByID: [String: SiteSummary]

    public init(
        summary: FleetSummary, countries: [CountrySummary], sites: [SiteSummary], hosts: [EdgeHost], events: [Event],
        apps: [ApplicationStatus] = [], rollouts: [RolloutSummary] = [], upgrades: [Upgrade] = []
    ) {
        self.apps = apps
        self.upgrades = upgrades
        self.rollouts = rollouts
        self.summary = summary
        self.countries = countries
        self.sites = sites
        self.hosts = hosts
        self.events = events
        self.hostsBySite = Dictionary(grouping: hosts, by: \.siteID)
        self.sitesByID = Dictionary(uniqueKeysWithValues: sites.map { ($0.id, $0) })
    }

    /// Reads a full snapshot through `api`.
    public static func load(
        from api: some FleetAPI, deployments: (any DeploymentAPI)? = nil, upgrades: (any UpgradeAPI)? = nil
    ) async throws -> FleetData {
        async let summary = api.summary()
        async let countries = api.countries()
        async let sites = api.sites(SiteQuery())
        async let hosts = api.hosts(HostQuery())
        async let events = api.events(EventQuery(limit: 500))
        async let apps = deployments?.applications(siteID: nil) ?? []
        async let rollouts = deployments?.rollouts() ?? []
        async let plans = visibleUpgrades(upgrades)
        return try await FleetData(
            summary: summary, countries: countries, sites: sites, hosts: hosts, events: events, apps: apps, rollouts: rollouts, upgrades: plans)
    }

    /// Upgrade plans, or none for a caller whose role may not see them (an application owner).
    private static func visibleUpgrades(_ upgrades: (any UpgradeAPI)?) async throws -> [Upgrade] {
        do {
            return try await upgrades?.upgrades() ?? []
        } catch let error as any AccessDenial where error.deniesAccess {
            return []
        }
    }

    public static func == (lhs: FleetData, rhs: FleetData) -> Bool {
        lhs.sites == rhs.sites && lhs.hosts == rhs.hosts && lhs.events == rhs.events && lhs.countries == rhs.countries
            && lhs.summary.hosts == rhs.summary.hosts && lhs.summary.sites == rhs.summary.sites && lhs.apps == rhs.apps
            && lhs.rollouts == rhs.rollouts && lhs.upgrades == rhs.upgrades
    }
}
