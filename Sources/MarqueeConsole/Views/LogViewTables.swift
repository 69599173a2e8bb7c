import Foundation
import MarqueeCore

/// The Logs view: one row per line (severity colours, the searched text emphasised where it occurs),
/// and a panel with the view's scope, range and mode, and the selected line in full when wrapping.
enum LogViewTables {
    static func lines(_ view: LogView?) -> TableModel {
        let showTime = view?.showTime ?? true
        var columns = [
            TableColumn("LAYER", sortKey: "Y", priority: 0, maxWidth: 7),
            TableColumn("SEVERITY", sortKey: "V", priority: 1, maxWidth: 8, numeric: true),
            TableColumn("ORIGIN", sortKey: "O", priority: 2, maxWidth: 44),
            TableColumn("MESSAGE", sortKey: "M", priority: 0, maxWidth: 400, flexible: true),
        ]
        if showTime { columns.insert(TableColumn("TIME", sortKey: "I", priority: 0, maxWidth: 23), at: 0) }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let rows = (view?.lines ?? []).map { line -> TableRow in
            let message = line.message.replacingOccurrences(of: "\n", with: " ⏎ ")
            var cells = [line.layer.rawValue, line.severity.rawValue, line.container ?? line.hostID, message]
            var styles: [StyleRole?] = [LogTables.layerRole(line.layer), LogTables.role(line), nil, LogTables.role(line)]
            var sortValues: [SortValue] = [
                .text(line.layer.rawValue), .number(Double(LogSeverity.allCases.firstIndex(of: line.severity) ?? 0)),
                .text(line.container ?? line.hostID), .text(message),
            ]
            if showTime {
                cells.insert(formatter.string(from: line.time), at: 0)
                styles.insert(nil, at: 0)
                sortValues.insert(.number(line.time.timeIntervalSince1970), at: 0)
            }
            return TableRow(id: "\(line.id)", cells: cells, styles: styles, sortValues: sortValues, highlight: view?.text)
        }
        return TableModel(columns: columns, rows: rows)
    }

    /// Two lines, or eight when wrapping (the selected line's whole message).
    static func panel(_ view: LogView, selected: LogLine?, width: Int) -> [[(String, StyleRole)]] {
        var lines: [[(String, StyleRole)]] = [
            [
                (view.summary, .title),
                ("  \(view.lines.count) lines\(view.lines.count >= LogView.keep ? " (the newest \(LogView.keep))" : "")", .body),
            ],
            [("f follow/pause · 1-5 last 1m 5m 15m 1h 24h · :range FROM [UNTIL] · T timestamps · W wrap · S save", .menu)],
        ]
        guard view.wrap, let selected else { return lines }
        let text =
            "\(selected.hostID)\(selected.container.map { " \($0)" } ?? "") [\(selected.layer.rawValue) \(selected.severity.rawValue)]: \(selected.message)"
        var wrapped: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var rest = Substring(paragraph)
            repeat {
                wrapped.append(String(rest.prefix(max(20, width))))
                rest = rest.dropFirst(max(20, width))
            } while !rest.isEmpty
        }
        lines += wrapped.prefix(6).map { [($0, LogTables.role(selected) ?? .body)] }
        return lines
    }
}
