import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeSim

/// `marquee bench logs`: ingest lines/s, correlation latency, text search vs `grep -F`.
struct BenchLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract:
            "Log ingest lines/s through the tower's path (goal ≥ 200k), correlated timeline p95 (goal ≤ 20 ms), text search vs grep -F on a plain file (goal ≥ 100×)."
    )

    @OptionGroup var bench: BenchOptions

    @Option(help: "Lines to ingest (also written to a plain file for grep).")
    var lines = 10_000_000

    @Option(
        help:
            "Write the database (logs.db) and the plain file (plain.log) to this directory and keep them, to inspect or profile searches afterwards with `marquee logs --db`."
    )
    var keepData: String?

    func validate() throws {
        guard lines >= 10_000 else { throw ValidationError("--lines must be at least 10000") }
    }

    func run() async throws {
        let progress = TerminalProgress(label: "Benchmarking logs", output: bench.output)
        let result = try await LogBenchmark(lines: lines, keepDirectory: keepData).run(progress: progress.update)
        progress.finish()
        switch bench.output {
        case .json: Output.printJSON(result)
        case .table:
            func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
            var table = TextTable(columns: [.init("FIGURE"), .init("VALUE", alignRight: true)])
            table.append(["lines stored (\(result.hosts) hosts, 6 h)", "\(result.lines)"])
            table.append(["ingest through the heartbeat path, lines/s", format(result.ingestLinesPerSecond, 0)])
            table.append(["database file, bytes per line", format(result.databaseBytesPerLine, 0)])
            table.append([
                "correlate ±5 min, p50 / p95", "\(format(result.correlateP50Milliseconds)) / \(format(result.correlateP95Milliseconds)) ms",
            ])
            print(table.render())
            var searches = TextTable(columns: [
                .init("SEARCH"), .init("MATCHES", alignRight: true), .init("INDEX MS", alignRight: true), .init("GREP -F MS", alignRight: true),
                .init("SPEEDUP", alignRight: true), .init("HOW"),
            ])
            for search in result.searches {
                searches.append([
                    search.text, "\(search.matches)", format(search.indexMilliseconds), format(search.grepMilliseconds, 1),
                    "\(format(search.speedup, 0))×",
                    search.usesWordIndex
                        ? "word index" : search.usesSuffixIndex ? "suffix index" : "chunk scan (< \(LogWordSuffixes.minimumFragment) characters)",
                ])
            }
            print(searches.render())
            print("Goals: ingest ≥ 200,000 lines/s; correlate p95 ≤ 20 ms; text search ≥ 100× faster than grep -F.")
        }
    }
}
