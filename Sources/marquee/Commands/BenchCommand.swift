import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeSim

/// `marquee bench …`: benchmarks that print figures (never pass/fail).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run benchmarks and print figures. Build with -c release for meaningful numbers.",
        subcommands: [BenchSelectorsCommand.self, BenchConsoleCommand.self, BenchTowerCommand.self]
    )
}

/// `marquee bench selectors`: compile 100 selectors and evaluate them against a generated fleet.
struct BenchSelectorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selectors",
        abstract: "Compile 100 placement selectors and evaluate each against every site (goal: ≤ 5 ms for 750 sites)."
    )

    @OptionGroup var bench: BenchOptions

    @Option(help: "Timed iterations.")
    var iterations = 200

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be at least 1") }
    }

    func run() async throws {
        let fleet = try FleetGenerator(.init(theaters: bench.theaters, seed: bench.seed, now: Date())).generate()
        let progress = TerminalProgress(label: "Benchmarking selectors", output: bench.output)
        let result = try SelectorBenchmark(sites: fleet.sites, iterations: iterations).run(progress: progress.update)
        progress.finish()
        switch bench.output {
        case .json: Output.printJSON(result)
        case .table:
            func format(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }
            var table = TextTable(columns: [.init("FIGURE"), .init("DICTIONARY", alignRight: true), .init("INDEXED", alignRight: true)])
            table.append(["selectors × sites", "\(result.selectors) × \(result.sites)", "= \(result.evaluationsPerIteration)"])
            table.append([
                "compile selectors / build index", "\(format(result.compileMicroseconds, 1)) µs", "\(format(result.indexBuildMicroseconds, 1)) µs",
            ])
            table.append(["evaluate all, p50", "\(format(result.dictionary.p50Milliseconds)) ms", "\(format(result.indexed.p50Milliseconds)) ms"])
            table.append(["evaluate all, p99", "\(format(result.dictionary.p99Milliseconds)) ms", "\(format(result.indexed.p99Milliseconds)) ms"])
            table.append(["evaluate all, min", "\(format(result.dictionary.minMilliseconds)) ms", "\(format(result.indexed.minMilliseconds)) ms"])
            table.append([
                "per evaluation, p50", "\(format(result.dictionary.nanosecondsPerEvaluation, 1)) ns",
                "\(format(result.indexed.nanosecondsPerEvaluation, 1)) ns",
            ])
            table.append(["matches per iteration", "\(result.matches)", "\(result.matches)"])
            print(table.render())
            print("Goal: 100 selectors × 750 sites ≤ 5 ms (\(result.iterations) iterations).")
        }
    }
}
