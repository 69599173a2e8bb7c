import Foundation
import MarqueeCore

/// Plain-text renderings of fleet objects for the CLI.
enum FleetTables {
    static func sites(_ summaries: [SiteSummary], wide: Bool) -> String {
        var columns: [TextTable.Column] = [
            .init("ID"), .init("NAME"), .init("CITY"), .init("CC"), .init("SIZE"), .init("SCREENS", alignRight: true),
            .init("SNACKBAR"), .init("HOSTS", alignRight: true), .init("HEALTH"), .init("STATUS"),
        ]
        if wide { columns += [.init("OS"), .init("KERNEL"), .init("RUNTIME")] }
        var table = TextTable(columns: columns)
        for summary in summaries {
            let site = summary.site
            var row = [
                site.id, site.name, site.city, site.country, site.labels[LabelKey.size] ?? "-",
                site.labels[LabelKey.screens] ?? "-", site.labels[LabelKey.snackbar] ?? "-",
                "\(summary.hosts.online)/\(summary.hosts.total)", summary.health.rawValue, site.status.rawValue,
            ]
            if wide {
                row += [
                    summary.osVersions.joined(separator: ", "), summary.kernelReleases.joined(separator: ", "),
                    summary.runtimes.joined(separator: ", "),
                ]
            }
            table.append(row)
        }
        return table.render()
    }

    static func hosts(_ hosts: [EdgeHost], now: Date) -> String {
        var table = TextTable(columns: [
            .init("ID"), .init("SITE"), .init("STATUS"), .init("OS"), .init("KERNEL"), .init("RUNTIME"), .init("AGENT"),
            .init("LAST SEEN"),
        ])
        for host in hosts {
            table.append([
                host.id, host.siteID, host.status.rawValue, host.osDescription, host.kernelRelease, host.runtimeDescription,
                host.agentVersion, RelativeTime.describe(host.lastSeen, now: now),
            ])
        }
        return table.render()
    }

    static func events(_ events: [Event]) -> String {
        var table = TextTable(columns: [.init("TIME"), .init("SEVERITY"), .init("KIND"), .init("SUBJECT"), .init("MESSAGE")])
        let formatter = ISO8601DateFormatter()
        for event in events {
            table.append([formatter.string(from: event.time), event.severity.rawValue, event.kind, event.subject, event.message])
        }
        return table.render()
    }

    static func siteDetail(_ detail: SiteDetail, now: Date) -> String {
        let site = detail.site
        let summary = detail.summary
        var localTime = ""
        if let zone = TimeZone(identifier: site.timeZone) {
            let formatter = DateFormatter()
            formatter.timeZone = zone
            formatter.dateFormat = "EEE HH:mm"
            localTime = ", local time \(formatter.string(from: now))"
        }
        let labels = site.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        var lines = [
            "Site      \(site.id)  \(site.name)",
            "Location  \(site.city), \(CountryNames.name(for: site.country)) (\(site.timeZone)\(localTime))",
            "Status    \(site.status.rawValue); health \(summary.health.rawValue), \(summary.hosts.online)/\(summary.hosts.total) hosts online",
            "Labels    \(labels)",
        ]
        for cluster in detail.clusters {
            lines += ["", "Cluster \(cluster.id)", hosts(cluster.hosts, now: now)]
        }
        lines += ["", "Recent events"]
        lines.append(detail.events.isEmpty ? "(none)" : events(detail.events))
        return lines.joined(separator: "\n")
    }

    static func hostDetail(_ detail: HostDetail, now: Date) -> String {
        let host = detail.host
        let seen = RelativeTime.describe(host.lastSeen, now: now)
        var lines = [
            "Host      \(host.id)  \(host.hostname)  (serial \(host.serialNumber))",
            "Site      \(detail.site.id)  \(detail.site.name)",
            "Status    \(host.status.rawValue); last seen \(seen)",
            "System    \(host.osDescription), kernel \(host.kernelRelease), \(host.runtimeDescription), agent \(host.agentVersion)",
            "Hardware  \(host.cpuCores) cores, \(host.memoryBytes >> 30) GiB memory, \(host.diskBytes / 1_000_000_000) GB disk",
        ]
        if let reports = detail.reports {
            lines.append(
                "Reports   \(reports.batches) batches (#\(reports.lastSequence) last), \(reports.records) records, "
                    + "\(reports.duplicates) duplicates skipped, \(reports.missing) missing")
        } else {
            lines.append("Reports   none received")
        }
        if let sample = detail.metrics {
            let metrics = sample.metrics
            lines.append(
                "Metrics   load \(String(format: "%.2f", metrics.load1)), \(metrics.memoryAvailableBytes >> 20) MiB memory available, "
                    + "\(metrics.diskFreeBytes / 1_000_000_000) GB disk free (\(RelativeTime.describe(sample.time, now: now)))")
        }
        lines += ["", "Containers"]
        if detail.containers.isEmpty {
            lines.append("(none)")
        } else {
            var table = TextTable(columns: [.init("ID"), .init("APP"), .init("STATE"), .init("RESTARTS", alignRight: true), .init("IMAGE")])
            for container in detail.containers {
                table.append([container.id, container.app, container.state.rawValue, "\(container.restarts)", container.image])
            }
            lines.append(table.render())
        }
        lines += ["", "Recent events"]
        lines.append(detail.events.isEmpty ? "(none)" : events(detail.events))
        return lines.joined(separator: "\n")
    }
}
