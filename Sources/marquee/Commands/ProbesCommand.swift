import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee probes series|top`: synthetic probe latency from the agents.
struct ProbesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probes",
        abstract: "Probe latency: percentile series for an app at any scope, and the worst sites.",
        subcommands: [Series.self, Top.self, Heatmap.self, Cohorts.self, Alerts.self]
    )

    /// A time span like `90s`, `15m`, `6h`, `7d`.
    struct Span: ExpressibleByArgument {
        var seconds: TimeInterval

        init?(argument: String) {
            let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
            guard let unit = argument.last.flatMap({ units[$0] }), let value = Double(argument.dropLast()), value > 0 else { return nil }
            seconds = value * unit
        }

        static var defaultCompletionKind: CompletionKind { .default }
    }

    struct Series: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "p50 / p95 / p99 over time for one application, fleet-wide or for a country, site or host.")

        @Option(help: "The application.") var app: String
        @Option(help: "Only this site.") var site: String?
        @Option(help: "Only this country (ISO code).") var country: String?
        @Option(help: "Only this host.") var host: String?
        @Option(help: "How far back: 90m, 6h, 7d.") var since: Span = Span(argument: "6h")!
        @Option(help: "Seconds per point (default: about 60 points).") var step: Int?
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func validate() throws {
            if [site, country, host].compactMap({ $0 }).count > 1 { throw ValidationError("give at most one of --site, --country, --host") }
        }

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let scope: ProbeScope = site.map { .site($0) } ?? country.map { .country($0.uppercased()) } ?? host.map { .host($0) } ?? .fleet
            let now = Date()
            let series = try await global.probeAPI().probeSeries(
                ProbeSeriesQuery(app: app, scope: scope, since: now.addingTimeInterval(-since.seconds), until: now, step: step))
            switch global.output {
            case .json:
                Output.printJSON(series)
            case .table:
                guard !series.points.isEmpty else {
                    print("No probe samples for \(app) (\(scope)) in the last \(Format.span(since.seconds)).")
                    return
                }
                var table = TextTable(columns: [
                    .init("TIME"), .init("SAMPLES", alignRight: true), .init("ERRORS", alignRight: true), .init("P50", alignRight: true),
                    .init("P95", alignRight: true), .init("P99", alignRight: true),
                ])
                let formatter = DateFormatter()
                formatter.dateFormat = series.step >= 86_400 ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm"
                formatter.timeZone = TimeZone(identifier: "UTC")
                for point in series.points {
                    table.append([
                        formatter.string(from: point.time), String(point.count), Format.errors(point), Format.ms(point.p50), Format.ms(point.p95),
                        Format.ms(point.p99),
                    ])
                }
                print(
                    "\(app) · \(scope) · step \(Format.span(Double(series.step))) · \(series.resolution == .minute ? "minute" : "hour") buckets (UTC)"
                )
                print(table.render())
                let total = series.total
                print(
                    "whole range: \(total.count) samples, p50 \(Format.ms(total.p50)), p95 \(Format.ms(total.p95)), p99 \(Format.ms(total.p99)), errors \(Format.errors(total))"
                )
            }
        }
    }

    struct Top: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The sites with the worst p95 latency.")

        @Option(help: "Only this application.") var app: String?
        @Option(help: "How far back: 15m, 1h, 24h.") var since: Span = Span(argument: "1h")!
        @Option(help: "How many sites.") var limit: Int = 20
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let now = Date()
            let sites = try await global.probeAPI().probeWorstSites(app: app, since: now.addingTimeInterval(-since.seconds), until: now, limit: limit)
            switch global.output {
            case .json:
                Output.printJSON(ListEnvelope(kind: "ProbeSiteList", items: sites))
            case .table:
                guard !sites.isEmpty else {
                    print("No probe samples in the last \(Format.span(since.seconds)).")
                    return
                }
                var table = TextTable(columns: [
                    .init("SITE"), .init("APP"), .init("SAMPLES", alignRight: true), .init("ERRORS", alignRight: true),
                    .init("P50", alignRight: true), .init("P95", alignRight: true), .init("P99", alignRight: true),
                    .init("BASELINE P95", alignRight: true), .init("Δ", alignRight: true), .init("TREND (P95)"),
                ])
                for site in sites {
                    let figures = site.figures
                    table.append([
                        site.siteID, site.app, String(figures.count), Format.errors(figures), Format.ms(figures.p50), Format.ms(figures.p95),
                        Format.ms(figures.p99), site.baselineP95.map { "\(Format.ms($0)) (\(site.baseline ?? "-"))" } ?? "-",
                        site.ratio.map { String(format: "%+.0f%%", ($0 - 1) * 100) } ?? "-", Sparkline.render(site.trend ?? []),
                    ])
                }
                print(table.render())
            }
        }
    }

    struct Heatmap: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "p95 per country over time for one application: each cell against the country's usual (· ░ ▒ ▓ █).")

        @Option(help: "The application.") var app: String
        @Option(help: "How far back: 6h, 24h, 7d.") var since: Span = Span(argument: "24h")!
        @Option(help: "Seconds per column (default: one hour for a day, about 60 columns otherwise).") var step: Int?
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let now = Date()
            let defaultStep = since.seconds > 6 * 3_600 ? Swift.max(3_600, Int(since.seconds) / 48 / 3_600 * 3_600) : nil
            let grid = try await global.probeAPI().probeHeatmap(
                app: app, since: now.addingTimeInterval(-since.seconds), until: now, step: step ?? defaultStep)
            switch global.output {
            case .json:
                Output.printJSON(grid)
            case .table:
                guard !grid.rows.isEmpty else {
                    print("No probe samples for \(app) in the last \(Format.span(since.seconds)).")
                    return
                }
                let formatter = DateFormatter()
                formatter.dateFormat = "yyyy-MM-dd HH:mm"
                formatter.timeZone = TimeZone(identifier: "UTC")
                print(
                    "\(app) · p95 by country · \(grid.times.count) columns of \(Format.span(Double(grid.step))) from \(grid.times.first.map(formatter.string) ?? "-") UTC"
                )
                print("· usual  ░ ≥1.2×  ▒ ≥1.5×  ▓ ≥2×  █ ≥3× the country's median p95 over the range")
                var table = TextTable(columns: [.init("COUNTRY"), .init("P95", alignRight: true), .init("WORST", alignRight: true), .init("HEAT")])
                let shades: [Character] = ["·", "░", "▒", "▓", "█"]
                for row in grid.rows {
                    let cells = String(row.heat.map { $0.map { shades[$0] } ?? " " })
                    table.append([row.key, Format.ms(row.total.p95), Format.ms(row.p95.compactMap { $0 }.max()), cells])
                }
                print(table.render())
            }
        }
    }

    struct Cohorts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Degraded hosts per app (p95 above baseline, or failing probes) and the host attributes that set their theaters apart.")

        @Option(help: "Only this application.") var app: String?
        @Option(help: "The recent window judged: 5m, 15m, 1h.") var window: Span = Span(argument: "15m")!
        @Option(help: "Degraded when p95 exceeds the baseline by this factor.") var factor = 1.5
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let policy = DegradationPolicy(factor: factor, window: window.seconds)
            let reports = try await global.probeAPI().probeCohorts(app: app, policy: policy)
            switch global.output {
            case .json:
                Output.printJSON(ListEnvelope(kind: "ProbeCohortReportList", items: reports))
            case .table:
                guard !reports.isEmpty else {
                    print("No probe samples in the last \(Format.span(window.seconds)).")
                    return
                }
                for report in reports {
                    guard !report.degraded.isEmpty else {
                        print("\(report.app): no degraded hosts among \(report.measuredHosts) in the last \(Format.span(report.window)).")
                        continue
                    }
                    print(
                        "\(report.app): \(report.degraded.count) degraded hosts at \(report.degradedSites) theaters (\(report.healthySites) healthy), last \(Format.span(report.window))"
                    )
                    var cohorts = TextTable(columns: [
                        .init("ATTRIBUTE"), .init("VALUE"), .init("DEGRADED", alignRight: true), .init("HEALTHY", alignRight: true),
                        .init("SCORE", alignRight: true), .init("EXAMPLE HOST"),
                    ])
                    for finding in report.cohorts.prefix(5) {
                        cohorts.append([
                            finding.attribute, finding.value, "\(finding.degradedWith)/\(finding.degradedTotal)",
                            "\(finding.healthyWith)/\(finding.healthyTotal)", String(format: "%.2f", finding.score), finding.exampleHost ?? "-",
                        ])
                    }
                    print(cohorts.render())
                    if let best = report.cohorts.first { print("→ " + best.sentence) }
                    var hosts = TextTable(columns: [
                        .init("HOST"), .init("SITE"), .init("P95", alignRight: true), .init("BASELINE", alignRight: true),
                        .init("ERRORS", alignRight: true),
                        .init("CONTAINER"),
                    ])
                    for host in report.degraded.prefix(10) {
                        hosts.append([
                            host.hostID, host.siteID, Format.ms(host.p95), "\(Format.ms(host.baselineP95)) (\(host.baseline))",
                            String(format: "%.1f%%", host.errorRate * 100), host.container ?? "-",
                        ])
                    }
                    print(hosts.render())
                    if report.degraded.count > 10 { print("… and \(report.degraded.count - 10) more hosts (--output json lists all)") }
                    print("")
                }
            }
        }
    }

    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Probe degradation alerts per app and theater (raised after 3 minutes degraded, cleared after 10 healthy).")

        @Flag(help: "Also alerts that cleared.") var all = false
        @Option(help: "How far back: 1h, 24h, 7d.") var since: Span = Span(argument: "7d")!
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let events = try await global.fleetAPI().events(
                EventQuery(limit: 10_000, since: Date().addingTimeInterval(-since.seconds), kindPrefix: "probe."))
            let alerts = ProbeAlert.alerts(from: events).filter { all || $0.isActive }
            switch global.output {
            case .json:
                Output.printJSON(ListEnvelope(kind: "ProbeAlertList", items: alerts))
            case .table:
                guard !alerts.isEmpty else {
                    print(all ? "No probe alerts in the last \(Format.span(since.seconds))." : "No active probe alerts.")
                    return
                }
                let formatter = DateFormatter()
                formatter.dateFormat = "yyyy-MM-dd HH:mm"
                formatter.timeZone = TimeZone(identifier: "UTC")
                var table = TextTable(columns: [
                    .init("STATE"), .init("APP"), .init("SITE"), .init("RAISED (UTC)"), .init("CLEARED"), .init("DETAIL"),
                ])
                for alert in alerts {
                    table.append([
                        alert.isActive ? "DEGRADED" : "recovered", alert.app, alert.siteID, formatter.string(from: alert.raisedAt),
                        alert.clearedAt.map(formatter.string) ?? "-", alert.message,
                    ])
                }
                print(table.render())
                print("\(alerts.filter(\.isActive).count) active")
            }
        }
    }

    enum Format {
        static func ms(_ value: Double?) -> String {
            guard let value else { return "-" }
            return value < 10
                ? String(format: "%.2f ms", value) : value < 1_000 ? String(format: "%.1f ms", value) : String(format: "%.2f s", value / 1_000)
        }

        static func errors(_ point: ProbePoint) -> String {
            point.errors == 0 ? "0" : String(format: "%lld (%.1f%%)", point.errors, point.errorRate * 100)
        }

        static func span(_ seconds: TimeInterval) -> String {
            if seconds >= 86_400, seconds.truncatingRemainder(dividingBy: 86_400) == 0 { return "\(Int(seconds / 86_400))d" }
            if seconds >= 3_600, seconds.truncatingRemainder(dividingBy: 3_600) == 0 { return "\(Int(seconds / 3_600))h" }
            if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
            return "\(Int(seconds))s"
        }
    }
}
