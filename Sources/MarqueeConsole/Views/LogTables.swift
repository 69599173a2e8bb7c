import Foundation
import MarqueeCore

/// The correlated timeline of a container: its lines and its host's runtime, OS and kernel lines.
enum LogTables {
    static func role(_ line: LogLine) -> StyleRole? {
        switch line.severity {
        case .critical, .error: .statusCritical
        case .warning: .statusWarn
        default: nil
        }
    }

    static func layerRole(_ layer: LogLayer) -> StyleRole {
        switch layer {
        case .app: .body
        case .runtime: .menu
        case .kernel: .statusWarn
        case .os, .agent: .statusUnknown
        }
    }

    /// One row per line, oldest first; the layer column says where it came from.
    static func timeline(_ correlation: LogCorrelation?) -> TableModel {
        let columns = [
            TableColumn("TIME", sortKey: "T", priority: 0, maxWidth: 12),
            TableColumn("LAYER", sortKey: "L", priority: 0, maxWidth: 7),
            TableColumn("SEVERITY", sortKey: "S", priority: 1, maxWidth: 8, numeric: true),
            TableColumn("SOURCE", sortKey: "O", priority: 2, maxWidth: 10),
            TableColumn("MESSAGE", sortKey: "M", priority: 0, maxWidth: 200, flexible: true),
        ]
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss.SSS"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let rows = (correlation?.timeline ?? []).map { line -> TableRow in
            let time = formatter.string(from: line.time)
            var message = line.message.replacingOccurrences(of: "\n", with: " ⏎ ")
            // A runtime line about another container on the host names it (without the host).
            if let other = line.container, other != correlation?.container {
                let prefix = "\(correlation?.hostID ?? "")/"
                message = "[\(other.hasPrefix(prefix) ? String(other.dropFirst(prefix.count)) : other)] " + message
            }
            return TableRow(
                id: "\(line.id)",
                cells: [time, line.layer.rawValue, line.severity.rawValue, line.source, message],
                styles: [nil, layerRole(line.layer), role(line), nil, role(line)],
                sortValues: [
                    .number(line.time.timeIntervalSince1970), .text(line.layer.rawValue),
                    .number(Double(LogSeverity.allCases.firstIndex(of: line.severity) ?? 0)), .text(line.source), .text(message),
                ])
        }
        return TableModel(columns: columns, rows: rows)
    }

    /// The panel: where the container runs, what the host runs, and the same messages elsewhere.
    static func timelineLines(_ correlation: LogCorrelation) -> [[(String, StyleRole)]] {
        let counts = Dictionary(grouping: correlation.timeline, by: \.layer).mapValues(\.count)
        var lines: [[(String, StyleRole)]] = [
            [(correlation.container, .title), ("  on \(correlation.hostID)", .body)],
            [
                ("Host      ", .menu), ("kernel \(correlation.kernel)", .statusWarn), (" · runtime \(correlation.runtime)", .body),
                (
                    "  ·  " + LogLayer.allCases.compactMap { layer in counts[layer].map { "\($0) \(layer.rawValue)" } }.joined(separator: ", "),
                    .body
                ),
            ],
        ]
        if let top = correlation.elsewhere.first {
            lines.append([
                ("Elsewhere ", .menu), ("\"\(top.pattern)\"", .statusWarn),
                ("  on \(top.hosts) other host(s) with kernel \(top.kernel), \(top.runtime) (e.g. \(top.exampleHost))", .body),
            ])
            if let next = correlation.elsewhere.dropFirst().first {
                lines.append([("          ", .menu), ("\"\(next.pattern)\"  on \(next.hosts) with \(next.kernel), \(next.runtime)", .body)])
            }
        } else {
            lines.append([("Elsewhere ", .menu), ("no other host logged these runtime or kernel messages in the window", .body)])
        }
        return lines
    }
}
