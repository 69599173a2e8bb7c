import Foundation

/// A site with what a table row needs about its hosts.
public struct SiteSummary: Codable, Sendable, Equatable, Identifiable {
    public var site: Site
    /// Its hosts by status.
    public var hosts: HostCounts
    /// Health derived from ``hosts``.
    public var health: SiteHealth
    /// The most severe host status, `nil` without hosts.
    public var worstHostStatus: HostStatus?
    /// Distinct `OS version` strings of its hosts, sorted.
    public var osVersions: [String]
    /// Distinct kernel releases, sorted.
    public var kernelReleases: [String]
    /// Distinct `runtime version` strings, sorted.
    public var runtimes: [String]

    public var id: String { site.id }

    /// Summarises `site` from its `hosts`.
    public init(site: Site, hosts: [EdgeHost]) {
        self.site = site
        let counts = HostCounts(hosts)
        self.hosts = counts
        self.health = SiteHealth(counts)
        self.worstHostStatus = hosts.map(\.status).max()
        self.osVersions = Set(hosts.map(\.osDescription)).sorted()
        self.kernelReleases = Set(hosts.map(\.kernelRelease)).sorted()
        self.runtimes = Set(hosts.map(\.runtimeDescription)).sorted()
    }
}

/// One country's share of the fleet.
public struct CountrySummary: Codable, Sendable, Equatable, Identifiable {
    /// ISO 3166 alpha-2 code.
    public var code: String
    /// English name, e.g. `Sweden`.
    public var name: String
    public var sites: Int
    /// Sites by derived health.
    public var healthySites: Int
    public var degradedSites: Int
    public var downSites: Int
    public var hosts: HostCounts

    public var id: String { code }

    public init(code: String, summaries: [SiteSummary]) {
        self.code = code
        self.name = CountryNames.name(for: code)
        self.sites = summaries.count
        self.healthySites = summaries.count { $0.health == .healthy }
        self.degradedSites = summaries.count { $0.health == .degraded }
        self.downSites = summaries.count { $0.health == .down }
        var hosts = HostCounts()
        for summary in summaries { hosts.merge(summary.hosts) }
        self.hosts = hosts
    }

    /// Sites that are not healthy.
    public var unhealthySites: Int { sites - healthySites }
}

/// The whole fleet at a glance: the console's header and `marquee info`.
public struct FleetSummary: Codable, Sendable, Equatable {
    public var sites: Int
    public var countries: Int
    public var hosts: HostCounts
    public var healthySites: Int
    public var degradedSites: Int
    public var downSites: Int
    /// When this summary was computed.
    public var asOf: Date

    public init(summaries: [SiteSummary], asOf: Date) {
        self.sites = summaries.count
        self.countries = Set(summaries.map(\.site.country)).count
        var hosts = HostCounts()
        for summary in summaries { hosts.merge(summary.hosts) }
        self.hosts = hosts
        self.healthySites = summaries.count { $0.health == .healthy }
        self.degradedSites = summaries.count { $0.health == .degraded }
        self.downSites = summaries.count { $0.health == .down }
        self.asOf = asOf
    }
}

/// One site with its clusters, hosts and recent events.
public struct SiteDetail: Codable, Sendable, Equatable {
    public var summary: SiteSummary
    public var clusters: [Cluster]
    /// Recent events about the site or its hosts, newest first.
    public var events: [Event]

    public init(summary: SiteSummary, clusters: [Cluster], events: [Event]) {
        self.summary = summary
        self.clusters = clusters
        self.events = events
    }

    public var site: Site { summary.site }
}

/// One host with its site, containers and recent events.
public struct HostDetail: Codable, Sendable, Equatable {
    public var host: EdgeHost
    public var site: Site
    public var containers: [ContainerInstance]
    public var events: [Event]
    /// What the tower has ingested from the host's outbox (`nil` before its first batch).
    public var reports: ReportCursor?
    /// The host's latest reported load and free resources.
    public var metrics: HostMetricsSample?

    public init(
        host: EdgeHost, site: Site, containers: [ContainerInstance], events: [Event], reports: ReportCursor? = nil,
        metrics: HostMetricsSample? = nil
    ) {
        self.host = host
        self.site = site
        self.containers = containers
        self.events = events
        self.reports = reports
        self.metrics = metrics
    }
}
