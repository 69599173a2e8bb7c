import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeSim

/// `marquee bench probes`: the latency sketch against HdrHistogram, storage, ingest and query figures.
struct BenchProbesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probes",
        abstract:
            "Latency sketch vs HdrHistogram (ns per sample, goal ≤ 2×; error), bytes per series-minute (goal ≤ 1 KiB), ingest samples/s, fleet p99 over 24 h (goal ≤ 10 ms)."
    )

    @OptionGroup var bench: BenchOptions

    @Option(help: "Samples recorded into each structure.")
    var samples = 2_000_000

    func validate() throws {
        guard samples >= 1_000 else { throw ValidationError("--samples must be at least 1000") }
    }

    func run() async throws {
        let progress = TerminalProgress(label: "Benchmarking probes", output: bench.output)
        let result = try await ProbeBenchmark(samples: samples, sites: bench.theaters).run(progress: progress.update)
        progress.finish()
        switch bench.output {
        case .json: Output.printJSON(result)
        case .table:
            func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
            var table = TextTable(columns: [.init("FIGURE"), .init("SKETCH", alignRight: true), .init("HDRHISTOGRAM", alignRight: true)])
            table.append(["samples", "\(result.samples)", "\(result.samples)"])
            table.append(["record, ns per sample", format(result.sketchRecordNanoseconds), format(result.hdrRecordNanoseconds)])
            table.append(["cost vs HdrHistogram", "\(format(result.costRatio))×", "1×"])
            table.append([
                "worst error p50…p99.99", "\(format(result.sketchMaxRelativeError * 100, 3)) %", "\(format(result.hdrMaxRelativeError * 100, 3)) %",
            ])
            table.append(["merge, ns", format(result.sketchMergeNanoseconds, 0), format(result.hdrMergeNanoseconds, 0)])
            table.append(["memory, bytes", "\(result.sketchMemoryBytes)", "\(result.hdrMemoryBytes)"])
            print(table.render())
            var storage = TextTable(columns: [.init("FIGURE"), .init("VALUE", alignRight: true)])
            storage.append(["series-minutes stored (24 h, \(bench.theaters) sites)", "\(result.seriesMinutes)"])
            storage.append(["encoded sketch, bytes per series-minute", format(result.encodedBytesPerSeriesMinute, 1)])
            storage.append(["database file, bytes per series-minute", format(result.databaseBytesPerSeriesMinute, 1)])
            storage.append(["ingest through the heartbeat path, samples/s", format(result.ingestSamplesPerSecond, 0)])
            storage.append([
                "fleet p50/p95/p99 over 24 h, p50 / p99",
                "\(format(result.fleetQuery24hP50Milliseconds)) / \(format(result.fleetQuery24hP99Milliseconds)) ms",
            ])
            print(storage.render())
            print("Goals: sketch ≤ 2× HdrHistogram's cost per sample; ≤ 1 KiB per series-minute; fleet p99 over 24 h ≤ 10 ms.")
        }
    }
}
