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
            [
                ("Health    ", .menu), (summary.health.rawValue, StatusStyles.role(summary.health)),
                ("  \(summary.hosts.online)/\(summary.hosts.total) hosts online · status \(site.status.rawValue)", .body),
            ],
            [("Labels    ", .menu), (labels, .body)],
        ]
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
