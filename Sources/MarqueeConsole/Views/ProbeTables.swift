import Foundation
import MarqueeCore

/// Tables and panel of the probe screens: applications, one application's degraded hosts and cohorts.
enum ProbeTables {
    static func ms(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value < 10
            ? String(format: "%.1f ms", value) : value < 1_000 ? String(format: "%.0f ms", value) : String(format: "%.1f s", value / 1_000)
    }

    /// One row per application, the most degraded first.
    static func apps(_ reports: [ProbeCohortReport]) -> TableModel {
        let columns = [
            TableColumn("APP", sortKey: "A", priority: 0, maxWidth: 22),
            TableColumn("P50", alignRight: true, sortKey: "5", priority: 1, numeric: true),
            TableColumn("P95", alignRight: true, sortKey: "9", priority: 0, numeric: true),
            TableColumn("P99", alignRight: true, sortKey: "P", priority: 1, numeric: true),
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
                    report.app, ms(report.fleet?.p50), ms(report.fleet?.p95), ms(report.fleet?.p99), "\(degraded)/\(report.measuredHosts)",
                    "\(report.degradedSites)", cause ?? "-",
                ],
                styles: [nil, nil, nil, nil, degraded > 0 ? .statusCritical : .statusOK, report.degradedSites > 0 ? .statusWarn : nil, nil],
                sortValues: [
                    .text(report.app), .number(report.fleet?.p50 ?? 0), .number(report.fleet?.p95 ?? 0), .number(report.fleet?.p99 ?? 0),
                    .number(Double(degraded)), .number(Double(report.degradedSites)), .text(cause ?? ""),
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
}
