import Foundation
import MarqueeCore

/// Builds each screen's table from fleet data, in the screen's natural (worst-first) order.
enum TableBuilders {
    static func model(
        for kind: ScreenKind, data: FleetData, hostDetails: [String: HostDetail], rollouts: [String: Rollout] = [:],
        probes: ProbeOverview? = nil, heatmaps: [String: ProbeGrid] = [:], timelines: [String: LogCorrelation] = [:],
        topologies: [String: Topology] = [:], logView: LogView? = nil, security: SecurityOverview? = nil, now: Date
    ) -> TableModel {
        switch kind {
        case .countries: countries(data)
        case .sites(let country): sites(data, country: country)
        case .site(let id): hosts(data.hostsBySite[id] ?? [], data: data, now: now, showSite: false)
        case .hosts: hosts(data.hosts, data: data, now: now, showSite: true)
        case .pendingHosts: pendingHosts(data.hosts.filter { $0.status == .pending }, data: data, now: now)
        case .host(let id): containers(hostDetails[id]?.containers ?? [], now: now)
        case .events: events(data.events)
        case .apps: DeploymentTables.apps(data.apps)
        case .rollouts: DeploymentTables.rollouts(data.rollouts, now: now)
        case .rollout(let id): DeploymentTables.sites(of: rollouts[id], data: data, now: now)
        case .upgrades: UpgradeTables.upgrades(data.upgrades, now: now)
        case .upgrade(let name): UpgradeTables.sites(of: data.upgrades.first { $0.id == name }, now: now)
        case .probes: ProbeTables.apps(probes?.reports ?? [], trends: probes?.trends ?? [:])
        case .cohort(let app): ProbeTables.degradedHosts(probes?.reports.first { $0.app == app })
        case .worstSites: ProbeTables.worstSites(probes?.worst ?? [], data: data)
        case .heatmap(let app): ProbeTables.heatmap(heatmaps[app])
        case .alerts: ProbeTables.alerts(probes?.alerts ?? [], now: now)
        case .timeline(let container): LogTables.timeline(timelines[container])
        case .topology(let subject): TopologyTables.containers(topologies[subject])
        case .logs(let scope): LogViewTables.lines(logView?.scope == scope ? logView : nil)
        case .security: SecurityTables.audit(security)
        case .tenants: SecurityTables.tenants(security)
        }
    }

    static func countries(_ data: FleetData) -> TableModel {
        let columns = [
            TableColumn("CC", sortKey: "C", priority: 0, maxWidth: 4),
            TableColumn("COUNTRY", sortKey: "N", priority: 0, maxWidth: 24),
            TableColumn("THEATERS", alignRight: true, sortKey: "T", priority: 1, numeric: true),
            TableColumn("DOWN", alignRight: true, sortKey: "D", priority: 0, numeric: true),
            TableColumn("DEGRADED", alignRight: true, sortKey: "E", priority: 0, numeric: true),
            TableColumn("HOSTS ONLINE", alignRight: true, sortKey: "O", priority: 1, numeric: true),
            TableColumn("NOT ONLINE", alignRight: true, sortKey: "X", priority: 0, numeric: true),
            TableColumn("ONLINE", sortKey: "P", priority: 2, maxWidth: 16, numeric: true),
        ]
        let ordered = data.countries.sorted {
            ($1.downSites, $1.degradedSites, $1.hosts.notOnline, $0.code) < ($0.downSites, $0.degradedSites, $0.hosts.notOnline, $1.code)
        }
        let rows = ordered.map { country -> TableRow in
            let ratio = country.hosts.total == 0 ? 0 : Double(country.hosts.online) / Double(country.hosts.total)
            return TableRow(
                id: country.code,
                cells: [
                    country.code, country.name, "\(country.sites)", "\(country.downSites)", "\(country.degradedSites)",
                    "\(country.hosts.online)/\(country.hosts.total)", "\(country.hosts.notOnline)", Gauge.text(ratio: ratio, width: 10),
                ],
                styles: [
                    nil, nil, nil, country.downSites > 0 ? .statusCritical : nil, country.degradedSites > 0 ? .statusWarn : nil, nil,
                    country.hosts.notOnline > 0 ? .statusWarn : .statusOK, ratio >= 0.999 ? .gaugeOK : .gaugeFault,
                ],
                sortValues: [
                    .text(country.code), .text(country.name), .number(Double(country.sites)), .number(Double(country.downSites)),
                    .number(Double(country.degradedSites)), .number(Double(country.hosts.online)),
                    .number(Double(country.hosts.notOnline)), .number(ratio),
                ])
        }
        return TableModel(columns: columns, rows: rows)
    }

    static func sites(_ data: FleetData, country: String?) -> TableModel {
        let columns = [
            TableColumn("ID", sortKey: "I", priority: 0, maxWidth: 14),
            TableColumn("NAME", sortKey: "N", priority: 2, maxWidth: 26),
            TableColumn("CITY", sortKey: "C", priority: 1, maxWidth: 18),
            TableColumn("SIZE", sortKey: "Z", priority: 3, maxWidth: 6),
            TableColumn("SCR", alignRight: true, sortKey: "S", priority: 3, numeric: true),
            TableColumn("HOSTS", alignRight: true, sortKey: "H", priority: 0, numeric: true),
            TableColumn("WORST", sortKey: "W", priority: 1, maxWidth: 9),
            TableColumn("HEALTH", sortKey: "E", priority: 0, maxWidth: 8),
            TableColumn("OS", sortKey: "O", priority: 4, maxWidth: 26),
            TableColumn("KERNEL", sortKey: "K", priority: 2, maxWidth: 34),
            TableColumn("RUNTIME", sortKey: "R", priority: 2, maxWidth: 38),
        ]
        let selected = country.map { code in data.sites.filter { $0.site.country == code } } ?? data.sites
        // Locked-down theaters first, then the worst.
        let ordered = selected.sorted {
            ($1.site.status == .lockedDown ? 1 : 0, $1.health, $1.hosts.notOnline, $1.worstHostStatus?.severity ?? -1, $0.id)
                < ($0.site.status == .lockedDown ? 1 : 0, $0.health, $0.hosts.notOnline, $0.worstHostStatus?.severity ?? -1, $1.id)
        }
        let rows = ordered.map { summary -> TableRow in
            let site = summary.site
            let screens = site.labels[LabelKey.screens] ?? "-"
            let worst = summary.worstHostStatus
            // A locked-down theater says so in words (every theme, monochrome included), not only in colour.
            let locked = site.status == .lockedDown
            return TableRow(
                id: site.id,
                cells: [
                    site.id, site.name, site.city, site.labels[LabelKey.size] ?? "-", screens,
                    "\(summary.hosts.online)/\(summary.hosts.total)", worst?.rawValue ?? "-", locked ? "LOCKED" : summary.health.rawValue,
                    summary.osVersions.joined(separator: ", "), summary.kernelReleases.joined(separator: ", "),
                    summary.runtimes.joined(separator: ", "),
                ],
                styles: [
                    nil, nil, nil, nil, nil, summary.hosts.notOnline > 0 ? .statusWarn : nil, worst.map(StatusStyles.role),
                    locked ? .flashError : StatusStyles.role(summary.health), nil, summary.kernelReleases.count > 1 ? .statusPending : nil,
                    summary.runtimes.count > 1 ? .statusPending : nil,
                ],
                sortValues: [
                    .text(site.id), .text(site.name), .text(site.city), .number(sizeRank(site.labels[LabelKey.size])),
                    .number(Double(screens) ?? 0), .number(Double(summary.hosts.online)), .number(Double(worst?.severity ?? -1)),
                    .number(Double(locked ? 99 : healthRank(summary.health))), .text(summary.osVersions.joined()),
                    .text(summary.kernelReleases.joined()), .text(summary.runtimes.joined()),
                ],
                labels: site.labels)
        }
        return TableModel(columns: columns, rows: rows)
    }

    static func hosts(_ hosts: [EdgeHost], data: FleetData, now: Date, showSite: Bool) -> TableModel {
        var columns = [TableColumn("HOST", sortKey: "I", priority: 0, maxWidth: 18)]
        if showSite { columns.append(TableColumn("SITE", sortKey: "S", priority: 1, maxWidth: 14)) }
        columns += [
            TableColumn("STATUS", sortKey: "T", priority: 0, maxWidth: 10),
            TableColumn("OS", sortKey: "O", priority: 2, maxWidth: 14),
            TableColumn("KERNEL", sortKey: "K", priority: 0, maxWidth: 30),
            TableColumn("RUNTIME", sortKey: "R", priority: 0, maxWidth: 20),
            TableColumn("AGENT", sortKey: "A", priority: 3, maxWidth: 8),
            TableColumn("CPU", alignRight: true, sortKey: "U", priority: 4, numeric: true),
            TableColumn("MEM", alignRight: true, sortKey: "M", priority: 4, numeric: true),
            TableColumn("LAST SEEN", alignRight: true, sortKey: "L", priority: 1, maxWidth: 10, numeric: true),
        ]
        let ordered = showSite ? hosts.sorted { ($1.status, $0.id) < ($0.status, $1.id) } : hosts
        let rows = ordered.map { host -> TableRow in
            var cells = [host.id]
            var styles: [StyleRole?] = [nil]
            var sortValues: [SortValue] = [.text(host.id)]
            if showSite {
                cells.append(host.siteID)
                styles.append(nil)
                sortValues.append(.text(host.siteID))
            }
            cells += [
                host.status.rawValue, host.osDescription, host.kernelRelease, host.runtimeDescription, host.agentVersion,
                "\(host.cpuCores)", "\(host.memoryBytes >> 30)G", RelativeTime.describe(host.lastSeen, now: now),
            ]
            styles += [StatusStyles.role(host.status), nil, nil, nil, nil, nil, nil, host.status == .offline ? .statusCritical : nil]
            sortValues += [
                .number(Double(host.status.severity)), .text(host.osDescription), .text(host.kernelRelease), .text(host.runtimeDescription),
                .text(host.agentVersion), .number(Double(host.cpuCores)), .number(Double(host.memoryBytes)),
                .number(host.lastSeen.map { now.timeIntervalSince($0) } ?? .infinity),
            ]
            return TableRow(id: host.id, cells: cells, styles: styles, sortValues: sortValues, labels: data.sitesByID[host.siteID]?.site.labels)
        }
        return TableModel(columns: columns, rows: rows)
    }

    /// Hosts waiting for approval: who they say they are and where they want to join.
    static func pendingHosts(_ hosts: [EdgeHost], data: FleetData, now: Date) -> TableModel {
        let columns = [
            TableColumn("HOST", sortKey: "I", priority: 0, maxWidth: 18),
            TableColumn("SITE", sortKey: "S", priority: 0, maxWidth: 14),
            TableColumn("HOSTNAME", sortKey: "N", priority: 1, maxWidth: 20),
            TableColumn("SERIAL", sortKey: "E", priority: 0, maxWidth: 20),
            TableColumn("OS", sortKey: "O", priority: 2, maxWidth: 14),
            TableColumn("KERNEL", sortKey: "K", priority: 1, maxWidth: 30),
            TableColumn("RUNTIME", sortKey: "R", priority: 2, maxWidth: 20),
            TableColumn("ASKED", alignRight: true, sortKey: "L", priority: 0, maxWidth: 10, numeric: true),
        ]
        let rows = hosts.sorted { ($0.lastSeen ?? .distantPast, $0.id) > ($1.lastSeen ?? .distantPast, $1.id) }.map { host in
            TableRow(
                id: host.id,
                cells: [
                    host.id, host.siteID, host.hostname, host.serialNumber, host.osDescription, host.kernelRelease, host.runtimeDescription,
                    RelativeTime.describe(host.lastSeen, now: now),
                ],
                styles: [nil, nil, nil, .statusWarn, nil, nil, nil, nil],
                sortValues: [
                    .text(host.id), .text(host.siteID), .text(host.hostname), .text(host.serialNumber), .text(host.osDescription),
                    .text(host.kernelRelease), .text(host.runtimeDescription), .number(host.lastSeen.map { now.timeIntervalSince($0) } ?? .infinity),
                ],
                labels: data.sitesByID[host.siteID]?.site.labels)
        }
        return TableModel(columns: columns, rows: rows)
    }

    static func containers(_ containers: [ContainerInstance], now: Date) -> TableModel {
        let columns = [
            TableColumn("CONTAINER", sortKey: "I", priority: 0, maxWidth: 30),
            TableColumn("APP", sortKey: "A", priority: 0, maxWidth: 22),
            TableColumn("TENANT", sortKey: "T", priority: 2, maxWidth: 20),
            TableColumn("STATE", sortKey: "S", priority: 0, maxWidth: 10),
            TableColumn("RESTARTS", alignRight: true, sortKey: "R", priority: 1, numeric: true),
            TableColumn("RUNTIME ID", sortKey: "U", priority: 3, maxWidth: 12),
            TableColumn("STARTED", alignRight: true, sortKey: "D", priority: 1, maxWidth: 10, numeric: true),
            TableColumn("IMAGE", sortKey: "M", priority: 4, maxWidth: 60),
        ]
        let rows = containers.map { container -> TableRow in
            let name = "\(container.service)"
            return TableRow(
                id: container.id,
                cells: [
                    "\(container.app)/\(name)", container.app, container.tenantID, container.state.rawValue, "\(container.restarts)",
                    container.runtimeInstanceID, RelativeTime.describe(container.startedAt, now: now), container.image,
                ],
                styles: [nil, nil, nil, StatusStyles.role(container.state), container.restarts > 0 ? .statusWarn : nil, nil, nil, nil],
                sortValues: [
                    .text(container.id), .text(container.app), .text(container.tenantID), .text(container.state.rawValue),
                    .number(Double(container.restarts)), .text(container.runtimeInstanceID),
                    .number(container.startedAt.map { now.timeIntervalSince($0) } ?? .infinity), .text(container.image),
                ])
        }
        return TableModel(columns: columns, rows: rows)
    }

    static func events(_ events: [Event]) -> TableModel {
        let columns = [
            TableColumn("TIME (UTC)", sortKey: "T", priority: 0, maxWidth: 19),
            // Most severe first on the first press: the on-call engineer sorts to find the alert.
            TableColumn("SEVERITY", sortKey: "S", priority: 0, maxWidth: 8, numeric: true),
            TableColumn("KIND", sortKey: "K", priority: 2, maxWidth: 18),
            TableColumn("SUBJECT", sortKey: "J", priority: 1, maxWidth: 22),
            TableColumn("MESSAGE", sortKey: "M", priority: 0, maxWidth: 120),
        ]
        let rows = events.enumerated().map { index, event -> TableRow in
            TableRow(
                id: event.id.map { "event/\($0)" } ?? "event#\(index)",
                cells: [Clock.utc(event.time), event.severity.rawValue, event.kind, event.subject, event.message],
                styles: [nil, StatusStyles.role(event.severity), nil, nil, nil],
                sortValues: [
                    .number(event.time.timeIntervalSince1970), .number(Double(Event.Severity.allCases.firstIndex(of: event.severity) ?? 0)),
                    .text(event.kind), .text(event.subject), .text(event.message),
                ])
        }
        return TableModel(columns: columns, rows: rows)
    }

    private static func sizeRank(_ size: String?) -> Double {
        switch size {
        case "small": 1
        case "medium": 2
        case "large": 3
        default: 0
        }
    }

    private static func healthRank(_ health: SiteHealth) -> Int {
        SiteHealth.allCases.sorted().firstIndex(of: health) ?? 0
    }
}

/// Fixed-format UTC timestamps, so snapshots do not depend on the machine's zone.
enum Clock {
    static func utc(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    static func utcTime(_ date: Date) -> String {
        String(utc(date).suffix(8))
    }

    /// Local wall-clock time at a site, e.g. `Sat 02:14`.
    static func local(_ date: Date, zone: String) -> String {
        guard let timeZone = TimeZone(identifier: zone) else { return "?" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        return String(format: "%@ %02d:%02d", days[((c.weekday ?? 1) - 1) % 7], c.hour ?? 0, c.minute ?? 0)
    }
}
