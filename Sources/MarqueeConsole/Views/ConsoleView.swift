import Foundation
import MarqueeCore

/// Renders the whole console frame from state: a pure function into a ``ScreenBuffer``.
public enum ConsoleView {
    /// The smallest terminal the console lays out in.
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public static func render(_ state: ConsoleState, theme: ResolvedTheme) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: state.width, height: state.height, style: theme[.body])
        guard state.width >= minimumWidth, state.height >= minimumHeight else {
            drawTooSmall(state, into: &buffer, theme: theme)
            return buffer
        }
        HeaderView.draw(state, into: &buffer, theme: theme)
        drawCrumbs(state, into: &buffer, theme: theme)
        drawTitle(state, into: &buffer, theme: theme)
        DetailPanels.draw(state, into: &buffer, top: 3, theme: theme)
        let area = state.tableArea
        if state.data == nil {
            buffer.write("Loading fleet…", x: 2, y: area.top + 1, style: theme[.statusUnknown])
        } else if case .site(let id) = state.screen.kind {
            let used = min(area.height, state.table.count + 2)
            TableWidget.draw(state.table, screen: state.screen, into: &buffer, top: area.top, height: used, theme: theme)
            drawSiteEvents(state, siteID: id, into: &buffer, top: area.top + used, height: area.height - used, theme: theme)
        } else {
            TableWidget.draw(state.table, screen: state.screen, into: &buffer, top: area.top, height: area.height, theme: theme)
        }
        BottomLine.draw(state, into: &buffer, theme: theme)
        if case .help = state.mode { HelpPanel.draw(state, into: &buffer, theme: theme) }
        if case .confirm(let dialog, _) = state.mode { dialog.draw(into: &buffer, theme: theme) }
        return buffer
    }

    /// The theater's recent events under its hosts.
    private static func drawSiteEvents(
        _ state: ConsoleState, siteID: String, into buffer: inout ScreenBuffer, top: Int, height: Int, theme: ResolvedTheme
    ) {
        guard height >= 2, let data = state.data else { return }
        // The theater's own events when loaded; until then, what the fleet-wide list has of them.
        let events =
            state.siteDetails[siteID]?.events
            ?? data.events.filter { $0.subject == "site/\(siteID)" || $0.subject.hasPrefix("host/\(siteID)-") }
        buffer.write(" Recent events ", x: 1, y: top, style: theme[.title])
        if events.isEmpty {
            buffer.write(state.siteDetails[siteID] == nil ? "loading…" : "none", x: 2, y: top + 1, style: theme[.statusUnknown])
            return
        }
        for (index, event) in events.prefix(height - 1).enumerated() {
            let y = top + 1 + index
            var x = 2
            x += buffer.write(Clock.utc(event.time) + "  ", x: x, y: y, style: theme[.body])
            x += buffer.write(event.severity.rawValue.padded(toWidth: 9), x: x, y: y, style: theme[StatusStyles.role(event.severity)])
            buffer.write(event.message, x: x, y: y, style: theme[.body], maxWidth: buffer.width - x - 1)
        }
    }

    private static func drawTooSmall(_ state: ConsoleState, into buffer: inout ScreenBuffer, theme: ResolvedTheme) {
        let lines = [
            "Terminal too small: \(state.width)×\(state.height)",
            "Marquee needs at least \(minimumWidth)×\(minimumHeight).",
            "Enlarge the window; Ctrl-C quits.",
        ]
        for (index, line) in lines.enumerated() {
            let y = state.height / 2 - 1 + index
            let x = max(0, (state.width - line.displayWidth) / 2)
            buffer.write(line, x: x, y: y, style: theme[index == 0 ? .flashWarn : .body])
        }
    }

    /// `Fleet › Countries › Sweden › se-sto-012`.
    static func crumbs(_ state: ConsoleState) -> [String] {
        state.stack.map { screen in
            switch screen.kind {
            case .countries: "Countries"
            case .sites(let country): country.map { CountryNames.name(for: $0) } ?? "Theaters"
            case .site(let id): id
            case .hosts: "Hosts"
            case .pendingHosts: "Pending"
            case .host(let id): id
            case .events: "Events"
            case .apps: "Apps"
            case .rollouts: "Rollouts"
            case .rollout(let id): id
            case .upgrades: "Upgrades"
            case .security: "Security"
            case .tenants: "Tenants"
            case .upgrade(let name): name
            case .probes: "Probes"
            case .cohort(let app): app
            case .worstSites: "Worst theaters"
            case .heatmap(let app): "\(app) heatmap"
            case .alerts: "Alerts"
            case .timeline(let container): "Logs of \(container.split(separator: "/").dropFirst().joined(separator: "/"))"
            case .logs(let scope): scope == "fleet" ? "Logs" : "Logs of \(scope.split(separator: ":").last ?? "")"
            case .topology(let subject):
                "Topology of \(subject.contains("/") ? subject.split(separator: "/").dropFirst().joined(separator: "/") : subject)"
            }
        }
    }

    private static func drawCrumbs(_ state: ConsoleState, into buffer: inout ScreenBuffer, theme: ResolvedTheme) {
        buffer.fill(x: 0, y: 1, width: buffer.width, height: 1, style: theme[.body])
        var x = 0
        let names = ["Fleet"] + crumbs(state)
        for (index, name) in names.enumerated() {
            let last = index == names.count - 1
            x += buffer.write(" \(name) ", x: x, y: 1, style: theme[last ? .crumbsActive : .crumbs])
            if !last { x += buffer.write("›", x: x, y: 1, style: theme[.crumbs]) }
        }
    }

    private static func drawTitle(_ state: ConsoleState, into buffer: inout ScreenBuffer, theme: ResolvedTheme) {
        let y = 2
        buffer.write(String(repeating: "─", count: buffer.width), x: 0, y: y, style: theme[.border])
        var x = 1
        x += buffer.write(" \(title(state)) ", x: x, y: y, style: theme[.title])
        let total = state.table.model.rows.count
        x += buffer.write("[\(state.table.count == total ? "\(total)" : "\(state.table.count)/\(total)")]", x: x, y: y, style: theme[.titleCounter])
        let filter: String
        if case .filter(let text, _) = state.mode { filter = text } else { filter = state.screen.filter }
        if !filter.isEmpty {
            x += buffer.write(" ─ ", x: x, y: y, style: theme[.border])
            x += buffer.write("/\(filter)", x: x, y: y, style: theme[.titleFilter], maxWidth: 40)
        }
        if let sort = state.screen.sort, sort.column < state.table.model.columns.count {
            x += buffer.write(" ─ ", x: x, y: y, style: theme[.border])
            let name = state.table.model.columns[sort.column].title
            x += buffer.write("sort \(name)\(sort.ascending ? "↑" : "↓")", x: x, y: y, style: theme[.titleHighlight])
        } else if state.data != nil, naturalOrderIsWorstFirst(state.screen.kind) {
            x += buffer.write(" ─ ", x: x, y: y, style: theme[.border])
            x += buffer.write("worst first", x: x, y: y, style: theme[.titleCounter])
        }
        if !state.screen.marks.isEmpty {
            x += buffer.write(" ─ ", x: x, y: y, style: theme[.border])
            x += buffer.write("marked \(state.screen.marks.count)", x: x, y: y, style: theme[.tableMark])
        }
        buffer.write(" ", x: x, y: y, style: theme[.body])
    }

    private static func naturalOrderIsWorstFirst(_ kind: ScreenKind) -> Bool {
        switch kind {
        case .countries, .sites, .hosts: true
        default: false
        }
    }

    static func title(_ state: ConsoleState) -> String {
        switch state.screen.kind {
        case .countries: "Countries"
        case .sites(let country): country.map { "Theaters in \(CountryNames.name(for: $0))" } ?? "Theaters"
        case .site(let id): "Hosts of \(id)"
        case .hosts: "Hosts"
        case .pendingHosts:
            state.readOnly ? "Hosts waiting for approval (read-only: --write to decide)" : "Hosts waiting for approval (a approve · r reject)"
        case .host(let id): "Containers on \(id)"
        case .events: "Events"
        case .apps: "Applications"
        case .rollouts:
            state.readOnly ? "Rollouts" : "Rollouts (p pause/resume · x abort · b rollback)"
        case .rollout(let id):
            state.readOnly ? "Sites of \(id), problems first" : "Sites of \(id), problems first (p pause/resume · x abort · b rollback)"
        case .security:
            state.security.map { overview in
                let chain =
                    switch overview.verification {
                    case .none: "chain not verified (platform admins only)"
                    case .some(let verified) where verified.isIntact: "chain intact (\(verified.records) records)"
                    case .some(let verified): "CHAIN BROKEN: \(verified.problem?.description ?? "")"
                    }
                return "Audit trail, newest first · \(chain) · \(overview.quotaSummary()) (:tenants for usage)"
            } ?? "Audit trail (reading and verifying…)"
        case .tenants:
            state.security.map { overview in
                let over = overview.quotas.filter { ($0.usage?.utilisation ?? 0) > 1 + 1e-9 }.count
                return "Tenants and quotas, usage at the busiest site each covers"
                    + (over > 0 ? " · \(over) OVER QUOTA" : "") + " (:security for the audit trail)"
            } ?? "Tenants and quotas (reading…)"
        case .upgrades:
            state.readOnly ? "Upgrade plans (:upgrade start FILE with --write)" : "Upgrade plans (p pause/resume · x abort · :upgrade start FILE)"
        case .upgrade(let name):
            (state.data?.upgrades.first { $0.id == name }).map { upgrade in
                let (done, total) = upgrade.hostProgress
                return
                    "\(name): \(upgrade.plan.targets) · \(upgrade.state.rawValue) · \(done)/\(total) hosts\(upgrade.etaDescription.map { " · \($0)" } ?? "")\(upgrade.reason.map { " · \($0)" } ?? "")"
                    + (state.readOnly ? "" : " (p pause/resume · x abort)")
            } ?? name
        case .probes:
            state.probeReports == nil
                ? "Probes (judging the last 15 minutes…)" : "Probes, last 15 minutes, most degraded first (w worst theaters · m heatmap · ! alerts)"
        case .cohort(let app): "Degraded hosts of \(app), slowest first (m heatmap)"
        case .worstSites:
            state.probeOverview == nil ? "Worst theaters (loading…)" : "Worst theaters by p95 over the last 15 minutes (Enter: slow hosts)"
        case .heatmap(let app):
            state.heatmaps[app] == nil
                ? "\(app): p95 per country (loading…)" : "\(app): p95 per country, last 24 h by hour (· usual ░ 1.2× ▒ 1.5× ▓ 2× █ 3×)"
        case .logs:
            state.logView?.loaded == true ? "Log lines, oldest first" : "Logs (loading…)"
        case .topology(let subject):
            state.topologies[subject] == nil
                ? "Topology of \(subject) (loading…)"
                : "Containers on the host, then those sharing its runtime + kernel, runtime, kernel (first \(ConsoleState.topologyExamples) each)"
        case .timeline(let container):
            state.timelines[container] == nil
                ? "Timeline of \(container) (loading…)"
                : "App, runtime and kernel lines of \(container) and its host, ±\(Int(ConsoleState.timelineWindow / 60)) min"
                    + (state.timelineMoments[container].map { " around \(Self.utcTime($0)) UTC, when the alert was raised" } ?? "") + ", oldest first"
        case .alerts:
            state.probeOverview.map { "Probe alerts, last 7 days: \($0.alerts.filter(\.isActive).count) active" } ?? "Probe alerts (loading…)"
        }
    }

    /// `HH:mm:ss` in UTC (log lines are shown in UTC).
    static func utcTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
