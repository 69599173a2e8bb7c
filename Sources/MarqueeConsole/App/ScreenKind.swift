/// What a console screen shows.
public enum ScreenKind: Hashable, Sendable {
    /// Every country with theaters, worst first.
    case countries
    /// Theaters, optionally in one country.
    case sites(country: String?)
    /// One theater: its cluster's hosts and events.
    case site(String)
    /// Every host in the fleet.
    case hosts
    /// Hosts that asked to join without a token and wait for an operator (`:hosts pending`).
    case pendingHosts
    /// One host: facts, containers, events.
    case host(String)
    /// The event stream.
    case events
    /// Applications: versions at the sites and their latest rollout.
    case apps
    /// Every rollout, newest first.
    case rollouts
    /// One rollout: its waves and every site that is not done, with the reason.
    case rollout(String)
    /// Infrastructure upgrade plans, newest first.
    case upgrades
    /// One upgrade plan: its sites with the host in flight, its step and why.
    case upgrade(String)
    /// Probe latency per application: fleet percentiles, degraded hosts and theaters, likely cause.
    case probes
    /// One application's degraded hosts, with the host attributes that set them apart.
    case cohort(String)
    /// Theaters with the worst p95 over the last hour: trend, baseline and change.
    case worstSites
    /// One application's p95 per country over the last day.
    case heatmap(String)
    /// Probe degradation alerts, active first.
    case alerts
    /// One container's log lines interleaved with its host's runtime and kernel lines.
    case timeline(String)
    /// Where a container (or host) sits: host, kernel, runtime, and what shares them.
    case topology(String)
    /// The Logs view of a scope: `fleet`, `site:ID`, `host:ID`, `container:ID`.
    case logs(String)
    /// Security: tenants with their quotas and the audit trail, newest first.
    case security
    /// Tenants with their quotas and what they use (the busiest site an each-site quota covers).
    case tenants

    /// Parses `--view` values: `countries`, `sites`, `sites:SE`, `site:ID`, `hosts`, `hosts:pending`, `host:ID`, `events`, `apps`, `rollouts`, `rollout:ID`, `probes`, `cohort:APP`, `worst`, `heatmap:APP`, `alerts`, `timeline:CONTAINER`.
    public init?(argument: String) {
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        switch (parts.first?.lowercased() ?? "", parts.count > 1 ? parts[1] : nil) {
        case ("countries", nil): self = .countries
        case ("sites", let country), ("theaters", let country): self = .sites(country: country?.uppercased())
        case ("site", let id?): self = .site(id)
        case ("hosts", nil): self = .hosts
        case ("hosts", "pending"?), ("pending", nil): self = .pendingHosts
        case ("host", let id?): self = .host(id)
        case ("events", nil): self = .events
        case ("apps", nil): self = .apps
        case ("rollouts", nil): self = .rollouts
        case ("rollout", let id?): self = .rollout(id)
        case ("upgrades", nil): self = .upgrades
        case ("upgrade", let name?): self = .upgrade(name)
        case ("probes", nil), ("degraded", nil): self = .probes
        case ("cohort", let app?): self = .cohort(app)
        case ("worst", nil): self = .worstSites
        case ("heatmap", let app?): self = .heatmap(app)
        case ("alerts", nil): self = .alerts
        case ("timeline", let container?): self = .timeline(container)
        case ("topology", let subject?): self = .topology(subject)
        case ("logs", nil): self = .logs("fleet")
        case ("security", nil), ("audit", nil): self = .security
        case ("tenants", nil), ("quotas", nil): self = .tenants
        default: return nil
        }
    }
}

/// Sort order of a table: a column and a direction.
public struct SortOrder: Hashable, Sendable {
    public var column: Int
    public var ascending: Bool
}

/// One screen on the navigation stack, with its own cursor, filter, sort and marks.
public struct Screen: Hashable, Sendable {
    public var kind: ScreenKind
    /// Index of the selected row in the visible (filtered, sorted) rows.
    public var cursor = 0
    /// First visible row.
    public var offset = 0
    /// `nil`: the screen's natural order (worst first).
    public var sort: SortOrder?
    public var filter = ""
    /// Ids of marked rows.
    public var marks: Set<String> = []

    public init(kind: ScreenKind) {
        self.kind = kind
    }
}
