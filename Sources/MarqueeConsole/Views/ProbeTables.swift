import Foundation
import MarqueeCore

/// Tables and panel of the probe screens: applications, one application's degraded hosts and cohorts.
enum ProbeTables {
    static func ms(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value < 10
            ? String(format: "%.1f ms", value) : value < 1_000 ? String(format: "%.0f ms", value) : String(format: "%.1f s", value / 1_000)
    }

    /// One row per application, the most degraded first, with its fleet p95 sparkline.
    static func apps(_ reports: [ProbeCohortReport], trends: [String: ProbeSeries] = [:]) -> TableModel {
        let columns = [
            TableColumn("APP", sortKey: "A", priority: 0, maxWidth: 22),
            TableColumn("P50", alignRight: true, sortKey: "5", priority: 1, numeric: true),
            TableColumn("P95", alignRight: true, sortKey: "9", priority: 0, numeric: true),
            TableColumn("P99", alignRight: true, sortKey: "P", priority: 1, numeric: true),
            TableColumn("P95 6H", priority: 2, maxWidth: 24),
            TableColumn("DEGRADED HOSTS", alignRight: true, sortKey: "H", priority: 0, numeric: true),
            TableColumn("THEATERS", alignRight: true, sortKey: "T", priority: 0, numeric: true),
            TableColumn("LIKELY CAUSE", sortKey: "C", priority: 1, maxWidth: 60),
        ]
        let rows = reports.map { report -> TableRow in
            let degraded = report.degraded.count
            let cause = report.cohorts.first.map {
                "\($0.attribute) \($0.value) (\($0.degradedWith)/\($0.degradedTotal) vs \($0.healthyWith)/\($0.healthyTotal))"
            }
            return TableRow(
                id: report.app,
                cells: [
                    report.app, ms(report.fleet?.p50), ms(report.fleet?.p95), ms(report.fleet?.p99),
                    Sparkline.render(trends[report.app].map(fill) ?? []), "\(degraded)/\(report.measuredHosts)", "\(report.degradedSites)",
                    cause ?? "-",
                ],
                styles: [
                    nil, nil, nil, nil, degraded > 0 ? .statusWarn : .statusOK, degraded > 0 ? .statusCritical : .statusOK,
                    report.degradedSites > 0 ? .statusWarn : nil, nil,
                ],
                sortValues: [
                    .text(report.app), .number(report.fleet?.p50 ?? 0), .number(report.fleet?.p95 ?? 0), .number(report.fleet?.p99 ?? 0),
                    .number(0), .number(Double(degraded)), .number(Double(report.degradedSites)), .text(cause ?? ""),
                ])
        }
        return TableModel(columns: columns, rows: rows)
    }

    /// An application's degraded hosts, slowest first; Enter opens the host.
    static func degradedHosts(_ report: ProbeCohortReport?) -> TableModel {
        let columns = [
            TableColumn("HOST", sortKey: "H", priority: 0, maxWidth: 20),
            TableColumn("THEATER", sortKey: "T", priority: 1, maxWidth: 16),
            TableColumn("P95", alignRight: true, sortKey: "9", priority: 0, numeric: true),
            TableColumn("BASELINE", alignRight: true, sortKey: "B", priority: 0, numeric: true),
            TableColumn("×", alignRight: true, sortKey: "X", priority: 1, numeric: true),
            TableColumn("ERRORS", alignRight: true, sortKey: "E", priority: 1, numeric: true),
            TableColumn("CONTAINER", sortKey: "C", priority: 2, maxWidth: 50),
        ]
        let rows = (report?.degraded ?? []).map { host -> TableRow in
            let ratio = host.baselineP95 > 0 ? host.p95 / host.baselineP95 : 0
            return TableRow(
                id: host.hostID,
                cells: [
                    host.hostID, host.siteID, ms(host.p95), "\(ms(host.baselineP95)) \(host.baseline)", String(format: "%.1f×", ratio),
                    String(format: "%.1f%%", host.errorRate * 100), host.container ?? "-",
                ],
                styles: [nil, nil, .statusCritical, nil, ratio >= 3 ? .statusCritical : .statusWarn, host.errorRate > 0 ? .statusWarn : nil, nil],
                sortValues: [
                    .text(host.hostID), .text(host.siteID), .number(host.p95), .number(host.baselineP95), .number(ratio), .number(host.errorRate),
                    .text(host.container ?? ""),
                ])
        }
        return TableModel(columns: columns, rows: rows)
    }

    /// The cohort panel: what the degraded theaters share that the healthy ones do not.
    static func cohortLines(_ report: ProbeCohortReport) -> [[(String, StyleRole)]] {
        guard let best = report.cohorts.first else {
            return [
                [
                    ("\(report.app)", .title),
                    ("  no degraded hosts among \(report.measuredHosts) in the last \(Int(report.window / 60)) minutes", .body),
                ]
            ]
        }
        var lines: [[(String, StyleRole)]] = [
            [
                ("\(report.app)", .title),
                ("  \(report.degraded.count) degraded hosts at \(report.degradedSites) theaters · \(report.healthySites) theaters healthy", .body),
            ],
            [("Likely cause  ", .menu), ("\(best.attribute) \(best.value)", .statusCritical), ("  e.g. \(best.exampleHost ?? "-")", .body)],
            [("              ", .menu), (best.sentence, .body)],
        ]
        for finding in report.cohorts.dropFirst().prefix(3) {
            lines.append([
                ("  then        ", .menu),
                (
                    "\(finding.attribute) \(finding.value)  \(finding.degradedWith)/\(finding.degradedTotal) degraded vs "
                        + "\(finding.healthyWith)/\(finding.healthyTotal) healthy  score \(String(format: "%.2f", finding.score))", .body
                ),
            ])
        }
        return lines
    }

    /// A series' p95 per step over its whole range, `nil` where a step had no samples.
    static func fill(_ series: ProbeSeries) -> [Double?] { fill(series, \.p95) }

    /// One value per step from the query's start (the series' `total.time`) to its last point, so
    /// a gap or a late start shows as blank rather than squeezing the line.
    static func fill(_ series: ProbeSeries, _ value: KeyPath<ProbePoint, Double?>) -> [Double?] {
        guard let last = series.points.last else { return [] }
        let step = max(1, series.step)
        let bucket = TimeInterval(series.resolution.rawValue)
        let origin = Date(timeIntervalSince1970: (series.total.time.timeIntervalSince1970 / bucket).rounded(.down) * bucket)
        let byTime = Dictionary(series.points.map { ($0.time, $0) }, uniquingKeysWith: { first, _ in first })
        let steps = max(0, Int(last.time.timeIntervalSince(origin)) / step)
        return (0...steps).map { byTime[origin.addingTimeInterval(Double($0 * step))]?[keyPath: value] ?? nil }
    }

    /// The probes screen's panel: the selected application's fleet p50 / p95 / p99 over six hours.
    static func trendLines(app: String, series: ProbeSeries, width: Int) -> [[(String, StyleRole)]] {
        var lines: [[(String, StyleRole)]] = [
            [(app, .title), ("  fleet, last \(Int(ProbeOverview.trendSpan / 3_600)) h, \(series.step / 60)-minute steps", .body)]
        ]
        for (name, path) in [("p50", \ProbePoint.p50), ("p95", \ProbePoint.p95), ("p99", \ProbePoint.p99)] {
            let values = fill(series, path)
            let present = values.compactMap { $0 }
            lines.append([
                ("  \(name)  ", .menu), (Sparkline.render(values), .statusOK),
                ("  now \(ms(values.last ?? nil))  range \(ms(present.min()))–\(ms(present.max()))", .body),
            ])
        }
        return lines
    }

    /// Theaters with the worst p95: current figures, baseline, change and trend. Row ids are `app/site`.
    static func worstSites(_ sites: [ProbeSiteSummary], data: FleetData) -> TableModel {
        let columns = [
            TableColumn("THEATER", sortKey: "T", priority: 0, maxWidth: 16),
            TableColumn("CITY", sortKey: "Y", priority: 2, maxWidth: 16),
            TableColumn("APP", sortKey: "A", priority: 0, maxWidth: 22),
            TableColumn("P95", alignRight: true, sortKey: "9", priority: 0, numeric: true),
            TableColumn("BASELINE", alignRight: true, sortKey: "B", priority: 1, numeric: true),
            TableColumn("Δ", alignRight: true, sortKey: "D", priority: 0, numeric: true),
            TableColumn("TREND 15M", priority: 1, maxWidth: 24),
            TableColumn("ERRORS", alignRight: true, sortKey: "E", priority: 2, numeric: true),
            TableColumn("SAMPLES", alignRight: true, sortKey: "S", priority: 2, numeric: true),
        ]
        let rows = sites.map { site -> TableRow in
            let ratio = site.ratio
            let change = ratio.map { String(format: "%+.0f%%", ($0 - 1) * 100) } ?? "-"
            let role: StyleRole? = ratio.map { $0 >= 2 ? .statusCritical : $0 >= 1.5 ? .statusWarn : .statusOK }
            return TableRow(
                id: "\(site.app)/\(site.siteID)",
                cells: [
                    site.siteID, data.sitesByID[site.siteID]?.site.city ?? "", site.app, ms(site.figures.p95), ms(site.baselineP95), change,
                    Sparkline.render(site.trend ?? []), String(format: "%.1f%%", site.figures.errorRate * 100), "\(site.figures.count)",
                ],
                styles: [nil, nil, nil, role, nil, role, role, site.figures.errors > 0 ? .statusWarn : nil, nil],
                sortValues: [
                    .text(site.siteID), .text(data.sitesByID[site.siteID]?.site.city ?? ""), .text(site.app), .number(site.figures.p95 ?? 0),
                    .number(site.baselineP95 ?? 0), .number(ratio ?? 0), .number(0), .number(site.figures.errorRate),
                    .number(Double(site.figures.count)),
                ])
        }
        return TableModel(columns: columns, rows: rows)
    }

    static let shades: [Character] = ["·", "░", "▒", "▓", "█"]

    /// One row per country: total p95 and a day of hourly heat, the hottest now first. Enter opens its theaters.
    static func heatmap(_ grid: ProbeGrid?) -> TableModel {
        let columns = [
            TableColumn("CC", sortKey: "C", priority: 0, maxWidth: 4),
            TableColumn("COUNTRY", sortKey: "N", priority: 2, maxWidth: 18),
            TableColumn("P95", alignRight: true, sortKey: "9", priority: 0, numeric: true),
            TableColumn("LAST", alignRight: true, sortKey: "L", priority: 1, numeric: true),
            TableColumn("HEAT, OLDEST → NOW", priority: 0, maxWidth: 50),
        ]
        func recentHeat(_ row: ProbeGrid.Row) -> Int { row.heat.suffix(2).compactMap { $0 }.max() ?? 0 }
        let ordered = (grid?.rows ?? []).sorted {
            (recentHeat($0), $0.total.p95 ?? 0, $1.key) > (recentHeat($1), $1.total.p95 ?? 0, $0.key)
        }
        let rows = ordered.map { row -> TableRow in
            let heat = row.heat
            // Two characters per hour: wide enough to read at a glance.
            let cells = String(heat.flatMap { level -> [Character] in level.map { [shades[$0], shades[$0]] } ?? [" ", " "] })
            let recent = recentHeat(row)
            let last = row.p95.last { $0 != nil } ?? nil
            return TableRow(
                id: row.key,
                cells: [row.key, CountryNames.name(for: row.key), ms(row.total.p95), ms(last), cells],
                styles: [nil, nil, nil, recent >= 3 ? .statusCritical : recent >= 1 ? .statusWarn : nil, recent >= 3 ? .statusCritical : nil],
                sortValues: [
                    .text(row.key), .text(CountryNames.name(for: row.key)), .number(row.total.p95 ?? 0), .number(last ?? 0), .number(Double(recent)),
                ])
        }
        return TableModel(columns: columns, rows: rows)
    }

    /// Probe alerts, active first. Row ids are `app/site`.
    static func alerts(_ alerts: [ProbeAlert], now: Date) -> TableModel {
        let columns = [
            TableColumn("STATE", sortKey: "S", priority: 0, maxWidth: 10),
            TableColumn("APP", sortKey: "A", priority: 0, maxWidth: 22),
            TableColumn("THEATER", sortKey: "T", priority: 0, maxWidth: 16),
            TableColumn("RAISED", sortKey: "R", priority: 1),
            TableColumn("FOR", alignRight: true, sortKey: "F", priority: 1, numeric: true),
            TableColumn("DETAIL", sortKey: "D", priority: 2, maxWidth: 120, flexible: true),
        ]
        let rows = alerts.map { alert -> TableRow in
            let duration = (alert.clearedAt ?? now).timeIntervalSince(alert.raisedAt)
            return TableRow(
                id: alert.id,
                cells: [
                    alert.isActive ? "DEGRADED" : "recovered", alert.app, alert.siteID, Clock.utc(alert.raisedAt), RelativeDuration.format(duration),
                    alert.message,
                ],
                styles: [alert.isActive ? .statusCritical : .statusOK, nil, nil, nil, nil, nil],
                sortValues: [
                    .text(alert.isActive ? "0" : "1"), .text(alert.app), .text(alert.siteID), .number(alert.raisedAt.timeIntervalSince1970),
                    .number(duration), .text(alert.message),
                ])
        }
        return TableModel(columns: columns, rows: rows)
    }
}
