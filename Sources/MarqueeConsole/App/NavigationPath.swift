import MarqueeCore

extension ScreenKind {
    /// The screens leading to this one, so breadcrumbs and Esc work when opening it directly.
    func path(in data: FleetData?) -> [ScreenKind] {
        switch self {
        case .countries: return [.countries]
        case .sites(let country): return country == nil ? [.countries, self] : [.countries, self]
        case .site(let id):
            let country = data?.sitesByID[id]?.site.country
            return [.countries, .sites(country: country), self]
        case .host(let id):
            guard let site = data?.hosts.first(where: { $0.id == id })?.siteID else { return [.countries, .hosts, self] }
            return ScreenKind.site(site).path(in: data) + [self]
        case .hosts, .events: return [.countries, self]
        case .pendingHosts: return [.countries, .hosts, self]
        case .apps, .rollouts: return [.countries, self]
        case .rollout: return [.countries, .rollouts, self]
        case .upgrades, .security, .tenants: return [.countries, self]
        case .upgrade: return [.countries, .upgrades, self]
        case .probes: return [.countries, self]
        case .cohort, .worstSites, .heatmap, .alerts: return [.countries, .probes, self]
        case .logs(let scope):
            let parts = scope.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return [.countries, self] }
            let host = String(parts[1].prefix { $0 != "/" })
            return (parts[0] == "site" ? ScreenKind.site(parts[1]) : ScreenKind.host(host)).path(in: data) + [self]
        case .timeline(let container), .topology(let container):
            let host = String(container.prefix { $0 != "/" })
            return ScreenKind.host(host).path(in: data) + [self]
        }
    }
}

extension ConsoleState {
    /// Opens `kind` with its parent screens beneath it.
    mutating func open(_ kind: ScreenKind) {
        stack = kind.path(in: data).map { Screen(kind: $0) }
        rebuildTable()
    }
}
