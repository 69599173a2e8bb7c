import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee logs [filters] [--follow]` and `marquee logs correlate`: log lines from every layer.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Log lines from apps, container runtimes, the OS and kernels, without logging in to a host.",
        subcommands: [Search.self, Correlate.self],
        defaultSubcommand: Search.self
    )

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search", abstract: "Lines matching the filters, oldest of the newest first; --follow keeps printing new ones.")

        @Option(help: "Only this site.") var site: String?
        @Option(help: "Only this host.") var host: String?
        @Option(help: "Only this container (an instance id from `marquee host show`).") var container: String?
        @Option(help: "Only this application's containers.") var app: String?
        @Option(help: "Only these layers: app, runtime, os, kernel, agent (comma-separated).") var layer: String?
        @Option(help: "At least this severity: debug, info, notice, warning, error, critical.") var severity: String?
        @Option(help: "How far back: 90s, 15m, 6h, 7d.") var since: ProbesCommand.Span = ProbesCommand.Span(argument: "15m")!
        @Option(help: "Only lines containing this text (case ignored; a whole word or word start in it uses the word index).") var grep: String?
        @Option(help: "At most this many lines.") var limit = 200
        @Flag(help: "Keep printing new lines as they arrive (Ctrl-C stops).") var follow = false
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func query() throws -> LogQuery {
            var query = LogQuery(
                siteID: site, hostID: host, container: container, app: app, since: Date().addingTimeInterval(-since.seconds), text: grep, limit: limit
            )
            if let layer {
                query.layers = try layer.split(separator: ",").map {
                    guard let value = LogLayer(rawValue: String($0)) else {
                        throw ValidationError("--layer: `\($0)` is not one of \(LogLayer.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return value
                }
            }
            if let severity {
                guard let value = LogSeverity(rawValue: severity) else {
                    throw ValidationError("--severity: `\(severity)` is not one of \(LogSeverity.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                query.minimumSeverity = value
            }
            return query
        }

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let api = try global.logAPI()
            var query = try query()
            let lines = try await api.logs(query).reversed()
            let json = global.output == .json
            if json, !follow {
                Output.printJSON(ListEnvelope(kind: "LogLineList", items: Array(lines)))
                return
            }
            for line in lines { Self.emit(line, json: json) }
            guard follow else {
                if lines.isEmpty { print("No log lines in the last \(ProbesCommand.Format.span(since.seconds)) for these filters.") }
                return
            }
            // Follow: poll for lines after the last one seen.
            query.afterID = lines.last?.id ?? 0
            query.since = nil
            query.limit = 1_000
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(1))
                for line in try await api.logs(query) {
                    Self.emit(line, json: json)
                    query.afterID = line.id
                }
            }
        }

        static func emit(_ line: LogLine, json: Bool) {
            if json {
                Output.printJSONLine(line)
            } else {
                print(LogsCommand.format(line))
            }
        }
    }

    struct Correlate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One container's lines interleaved with its host's runtime, OS and kernel lines, and the same messages elsewhere.")

        @Option(help: "The container instance id.") var container: String
        @Option(help: "The moment (ISO 8601, default now).") var at: String?
        @Option(help: "How far either side: 90s, 5m, 1h.") var window: ProbesCommand.Span = ProbesCommand.Span(argument: "5m")!
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            var moment: Date?
            if let at {
                guard let date = ISO8601DateFormatter().date(from: at) else { throw ValidationError("--at: `\(at)` is not an ISO 8601 time") }
                moment = date
            }
            let correlation = try await global.logAPI().correlate(container: container, at: moment, window: window.seconds)
            switch global.output {
            case .json:
                Output.printJSON(correlation)
            case .table:
                print(
                    "\(correlation.container) on \(correlation.hostID) · kernel \(correlation.kernel) · \(correlation.runtime) · ±\(ProbesCommand.Format.span(correlation.window)) around \(LogsCommand.timestamp(correlation.at)) UTC"
                )
                if correlation.timeline.isEmpty { print("No lines from the container or its host in the window.") }
                for line in correlation.timeline { print(LogsCommand.format(line, showHost: false)) }
                guard !correlation.elsewhere.isEmpty else { return }
                print("\nThe same runtime and kernel messages elsewhere in the window:")
                var table = TextTable(columns: [
                    .init("HOSTS", alignRight: true), .init("LAYER"), .init("KERNEL"), .init("RUNTIME"), .init("MESSAGE"),
                ])
                for group in correlation.elsewhere.prefix(15) {
                    table.append(["\(group.hosts)", group.layer.rawValue, group.kernel, group.runtime, group.pattern])
                }
                print(table.render())
            }
        }
    }

    static func timestamp(_ date: Date) -> String {
        var style = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
        style = style.year().month().day().time(includingFractionalSeconds: true)
        return date.formatted(style).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: "")
    }

    /// `2026-11-27 02:33:12.481  kernel   warning  se-sto-001-h2  sched: RT throttling activated`.
    static func format(_ line: LogLine, showHost: Bool = true) -> String {
        let layer = line.layer.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
        let severity = line.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        let origin = line.container ?? line.hostID
        return "\(timestamp(line.time))  \(layer) \(severity) \(showHost || line.container != nil ? origin + "  " : "")\(line.message)"
    }
}
