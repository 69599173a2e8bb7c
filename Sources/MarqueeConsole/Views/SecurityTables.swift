import Foundation
import MarqueeCore

/// The Security view's table: the audit trail, newest first.
enum SecurityTables {
    static func audit(_ overview: SecurityOverview?) -> TableModel {
        let columns = [
            TableColumn("SEQ", alignRight: true, sortKey: "Q", priority: 1, numeric: true),
            TableColumn("TIME", sortKey: "T", priority: 0, maxWidth: 19),
            TableColumn("ACTION", sortKey: "A", priority: 0, maxWidth: 28),
            TableColumn("TARGET", sortKey: "G", priority: 0, maxWidth: 32),
            TableColumn("ACTOR", sortKey: "R", priority: 1, maxWidth: 40),
            TableColumn("REASON", sortKey: "N", priority: 2, maxWidth: 60),
        ]
        let formatter = ISO8601DateFormatter()
        let rows = (overview?.audit ?? []).map { record -> TableRow in
            let time = formatter.string(from: Date(timeIntervalSince1970: Double(record.timeMillis) / 1_000)).replacingOccurrences(of: "T", with: " ")
            let denied = record.action.hasPrefix("denied ")
            let critical = ["site.lockdown", "site.unlock", "host.revoke"].contains(record.action)
            return TableRow(
                id: "audit/\(record.sequence)",
                cells: [String(record.sequence), String(time.dropLast()), record.action, record.target, record.actor, record.reason ?? ""],
                styles: [nil, nil, denied ? .statusCritical : critical ? .statusWarn : nil, nil, nil, nil])
        }
        return TableModel(columns: columns, rows: rows)
    }
}
