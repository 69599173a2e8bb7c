import Foundation
import MarqueeCore

/// The facts above the table on a theater or host screen.
enum DetailPanels {
    static func draw(_ state: ConsoleState, into buffer: inout ScreenBuffer, top: Int, theme: ResolvedTheme) {
        guard let data = state.data else { return }
        let lines: [[(String, StyleRole)]]
        switch state.screen.kind {
        case .site(let id):
            guard let summary = data.sitesByID[id] else { return }
            lines = siteLines(summary, now: state.now)
        case .host(let id):
            guard let host = data.hosts.first(where: { $0.id == id }) else { return }
            lines = hostLines(host, site: data.sitesByID[host.siteID], detail: state.hostDetails[id], now: state.now)
        case .rollout(let id):
            guard let rollout = state.rolloutDetails[id] else {
                lines = [[("loading \(id)…", .statusUnknown)]]
                break
            }
            lines = rolloutLines(rollout, width: state.width - 2, now: state.now)
        case .cohort(let app):
            guard let report = state.probeReports?.first(where: { $0.app == app }) else {
                lines = [[("judging \(app)'s probes…", .statusUnknown)]]
                break
            }
            lines = ProbeTables.cohortLines(report)
        case .timeline(let container):
            guard let correlation = state.timelines[container] else {
                lines = [[("reading the logs of \(container) and its host…", .statusUnknown)]]
                break
            }
            lines = LogTables.timelineLines(correlation)
        case .logs:
            guard let view = state.logView else { return }
            let selected = state.table.row(at: state.screen.cursor).flatMap { row in view.lines.first { "\($0.id)" == row.id } }
            lines = LogViewTables.panel(view, selected: selected, width: state.width - 2)
        case .topology(let subject):
            guard let topology = state.topologies[subject] else {
                lines = [[("finding where \(subject) runs…", .statusUnknown)]]
                break
            }
            lines = TopologyTables.panel(topology)
        case .probes:
            guard let app = state.table.row(at: state.screen.cursor)?.id, let series = state.probeOverview?.trends[app] else { return }
            lines = ProbeTables.trendLines(app: app, series: series, width: state.width - 2)
        default:
            return
        }
        for (index, parts) in lines.enumerated() {
            var x = 1
            for (text, role) in parts {
                x += buffer.write(text, x: x, y: top + index, style: theme[role], maxWidth: buffer.width - x - 1)
            }
        }
    }

    static func siteLines(_ summary: SiteSummary, now: Date) -> [[(String, StyleRole)]] {
        let site = summary.site
        let labels = site.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return [
            [("\(site.name)", .title), ("  \(site.id)", .body)],
            [
                ("Location  ", .menu), ("\(site.city), \(CountryNames.name(for: site.country))", .body),
                ("  \(site.timeZone), local \(Clock.local(now, zone: site.timeZone))", .body),
            ],
            site.status == .lockedDown
                ? [
                    ("Status    ", .menu), (" LOCKED DOWN ", .modeWrite),
                    ("  \(summary.hosts.online)/\(summary.hosts.total) hosts online · frozen; unlock: marquee unlock \(site.id)", .statusCritical),
                ]
                : [
                    ("Health    ", .menu), (summary.health.rawValue, StatusStyles.role(summary.health)),
                    ("  \(summary.hosts.online)/\(summary.hosts.total) hosts online · status \(site.status.rawValue)", .body),
                ],
            [("Labels    ", .menu), (labels, .body)],
        ]
    }

    /// What a rollout is doing: state, why it stopped, and every wave as a progress bar.
    static func rolloutLines(_ rollout: Rollout, width: Int, now: Date) -> [[(String, StyleRole)]] {
        let state = rollout.paused ? "\(rollout.state.rawValue), paused" : rollout.state.rawValue
        var lines: [[(String, StyleRole)]] = [
            [
                ("\(rollout.application) \(rollout.version)", .title), ("  ", .body),
                (state, DeploymentTables.role(rollout.state, paused: rollout.paused)),
                ("  \(rollout.sites.count) sites · started \(RelativeTime.describe(rollout.createdAt, now: now)) by \(rollout.actor)", .body),
            ],
            [("Summary   ", .menu), (rollout.summary, .body)],
        ]
        if let reason = rollout.reason {
            lines.append([("Reason    ", .menu), (reason, rollout.state == .halted ? .statusCritical : .body)])
        }
        // One compact bar per wave: `canary ████ 9/9  w1 ██░░ 75/149 …`, as many as fit on two lines.
        var waveParts: [(String, StyleRole)] = [("Waves     ", .menu)]
        var used = 10
        var rows = 0
        for (index, wave) in rollout.waves.enumerated() {
            let sites = wave.compactMap { rollout.sites[$0] }
            let done = sites.filter { $0.phase == .succeeded }.count
            let failed = sites.filter(\.phase.isFailure).count
            let name = rollout.hasCanary && index == 0 ? "canary" : "w\(index + (rollout.hasCanary ? 0 : 1))"
            let ratio = sites.isEmpty ? 0 : Double(done) / Double(sites.count)
            let text = "\(name) \(Gauge.text(ratio: ratio, width: 6)) \(done)/\(sites.count)\(failed > 0 ? " ✗\(failed)" : "")  "
            if used + text.displayWidth > width {
                rows += 1
                if rows >= 2 || lines.count + rows >= 5 { break }
                lines.append(waveParts)
                waveParts = [("          ", .menu)]
                used = 10
            }
            let role: StyleRole =
                failed > 0
                ? .statusCritical : index == rollout.currentWave && rollout.state.isActive ? .statusPending : ratio >= 1 ? .statusOK : .body
            waveParts.append((text, role))
            used += text.displayWidth
        }
        if lines.count < 5 { lines.append(waveParts) }
        return Array(lines.prefix(4))
    }

    static func hostLines(_ host: EdgeHost, site: SiteSummary?, detail: HostDetail?, now: Date) -> [[(String, StyleRole)]] {
        let containers =
            detail.map { details in
                let running = details.containers.count { $0.state == .running }
                return "\(running)/\(details.containers.count) containers running"
            } ?? "loading containers…"
        // What its outbox delivered (a gap means reports were lost) and its latest load.
        var reports = ""
        if let cursor = detail?.reports {
            reports = " · reports #\(cursor.lastSequence)" + (cursor.missing > 0 ? " (\(cursor.missing) missing)" : ", none missing")
        }
        if let sample = detail?.metrics { reports += String(format: " · load %.2f", sample.metrics.load1) }
        return [
            [
                ("\(host.hostname)", .title), ("  serial \(host.serialNumber)", .body),
                ("  \(site.map { "\($0.site.name) (\($0.site.id))" } ?? host.siteID)", .body),
            ],
            [
                ("Status    ", .menu), (host.status.rawValue, StatusStyles.role(host.status)),
                ("  last seen \(RelativeTime.describe(host.lastSeen, now: now)) · \(containers)\(reports)", .body),
            ],
            [("Kernel    ", .menu), (host.kernelRelease, .body), ("   OS ", .menu), (host.osDescription, .body)],
            [
                ("Runtime   ", .menu), (host.runtimeDescription, .body), ("   agent ", .menu), (host.agentVersion, .body),
                ("   \(host.cpuCores) cores · \(host.memoryBytes >> 30) GiB · \(host.diskBytes / 1_000_000_000) GB disk", .body),
            ],
        ]
    }
}
