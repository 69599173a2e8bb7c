import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeSim
import MarqueeTower

/// `marquee bench tower`: a tower process under the load of N hosts, against the HTTP stack's ceiling.
struct BenchTowerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tower",
        abstract: "Start a tower on a generated fleet, enroll N hosts, heartbeat them with reports, and print figures.",
        discussion: """
            Goals: 10,000 hosts enroll in ≤ 60 s; 10,000 hosts heartbeating every 10 s with p99 ≤ 50 ms using under one core; \
            ingest ≥ 50% of a trivial route's rate. The tower runs as its own process (its CPU comes from /proc); \
            the load comes from this one over loopback.
            """
    )

    @Option(name: .long, help: "Output format: table or json.")
    var output: OutputFormat = .table

    @Option(help: "Hosts to enroll and heartbeat.")
    var hosts = 10_000

    @Option(help: "Seconds between each host's heartbeats.")
    var heartbeatSeconds = 10.0

    @Option(help: "Seconds of steady heartbeating to measure.")
    var duration = 30.0

    @Option(help: "Seconds for each closed-loop ceiling (ingest and trivial route).")
    var ceilingSeconds = 4.0

    @Option(help: "Back-to-back (ingest, routine heartbeat, trivial route) rounds; the ratios are their medians.")
    var ceilingRounds = 5

    @Option(help: "Requests in flight for enrollment and the ceilings.")
    var concurrency = 64

    func validate() throws {
        guard hosts >= 3 else { throw ValidationError("--hosts must be at least 3") }
        guard heartbeatSeconds > 0, duration > 0, ceilingSeconds > 0 else { throw ValidationError("durations must be positive") }
        guard ceilingRounds >= 1 else { throw ValidationError("--ceiling-rounds must be at least 1") }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-bench-tower-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let progress = TerminalProgress(label: "Generating the fleet", output: output)
        let fleet = try FleetGenerator(.init(theaters: (hosts + 2) / 3, seed: 1, now: Date())).generate(progress: progress.update)
        let database = try FleetDatabase.open(at: directory + "/bench.db", create: true)
        try await SQLiteFleetStore(database).replaceFleet(with: fleet)
        progress.finish()

        let tower = try TowerProcess.start(database: database.path, heartbeatSeconds: max(1, Int(heartbeatSeconds.rounded())))
        defer { tower.stop() }
        let token = try AdminToken.loadOrCreate(at: AdminToken.path(besideDatabase: database.path)).token
        let benchmark = TowerBenchmark(
            configuration: .init(
                hosts: hosts, heartbeatSeconds: heartbeatSeconds, steadySeconds: duration, ceilingSeconds: ceilingSeconds, concurrency: concurrency,
                ceilingRounds: ceilingRounds),
            towerURL: tower.url, adminToken: token, hosts: fleet.hosts, towerCPUSeconds: { tower.cpuSeconds() },
            towerResidentBytes: { tower.residentBytes() })
        let bar = ProgressLine(output: output)
        let result = try await benchmark.run { phase, done, total in bar.update(phase, done, total) }
        bar.finish()
        switch output {
        case .json: Output.printJSON(result)
        case .table: print(Self.table(result))
        }
    }

    static func table(_ result: TowerBenchmark.Result) -> String {
        func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        var table = TextTable(columns: [.init("FIGURE"), .init("VALUE", alignRight: true), .init("GOAL")])
        table.append(["hosts enrolled", "\(result.hosts) in \(f(result.enrollSeconds)) s", "≤ 60 s for 10,000"])
        table.append(["enroll latency p50 / p99", "\(f(result.enrollLatency.p50, 2)) / \(f(result.enrollLatency.p99, 2)) ms", ""])
        table.append(["heartbeats (every \(f(result.heartbeatSeconds, 0)) s, 1 batch of 4 records)", "\(f(result.heartbeatsPerSecond)) /s", ""])
        table.append(["report records ingested", "\(f(result.recordsPerSecond)) /s", ""])
        table.append([
            "heartbeat latency p50 / p99 / max",
            "\(f(result.heartbeatLatency.p50, 2)) / \(f(result.heartbeatLatency.p99, 2)) / \(f(result.heartbeatLatency.max, 1)) ms", "p99 ≤ 50 ms",
        ])
        table.append(["failed requests", "\(result.failedRequests)", "0"])
        table.append(["tower CPU while steady", "\(f(result.towerCores, 2)) cores", "< 1 core"])
        table.append(["tower resident memory", "\(f(result.towerResidentMiB)) MiB", ""])
        table.append(["ingest ceiling (closed loop, 1 batch of 4 records each, median)", "\(f(result.ingestCeilingPerSecond)) heartbeats/s", ""])
        table.append(["routine heartbeat ceiling (closed loop, no batch, median)", "\(f(result.heartbeatCeilingPerSecond)) heartbeats/s", ""])
        table.append(["trivial route ceiling (/healthz, median)", "\(f(result.trivialCeilingPerSecond)) requests/s", ""])
        let rounds = result.ingestToTrivialRatios.map { f($0 * 100, 0) }.joined(separator: " ")
        table.append(["ingest / trivial (median of rounds)", "\(f(result.ingestToTrivialRatio * 100)) %", "≥ 50 %  (rounds: \(rounds) %)"])
        table.append(["routine heartbeat / trivial (median of rounds)", "\(f(result.heartbeatToTrivialRatio * 100)) %", ""])
        let cost = result.towerMicrosecondsPerRequest
        table.append([
            "tower CPU per request: ingest / routine / trivial", "\(f(cost.ingest, 0)) / \(f(cost.heartbeat, 0)) / \(f(cost.trivial, 0)) µs", "",
        ])
        let generator = result.generatorMicrosecondsPerRequest
        table.append([
            "load generator CPU per request: ingest / routine / trivial",
            "\(f(generator.ingest, 0)) / \(f(generator.heartbeat, 0)) / \(f(generator.trivial, 0)) µs", "",
        ])
        let busy = result.machineBusy
        let steal = result.machineSteal
        table.append([
            "machine busy (stolen): ingest / routine / trivial",
            "\(f(busy.ingest * 100, 0)) (\(f(steal.ingest * 100, 0))) / \(f(busy.heartbeat * 100, 0)) (\(f(steal.heartbeat * 100, 0))) / "
                + "\(f(busy.trivial * 100, 0)) (\(f(steal.trivial * 100, 0))) %", "",
        ])
        return table.render() + "\nSteady phase: \(f(result.steadySeconds)) s. Build with -c release for meaningful numbers."
    }
}

/// A progress line with a phase name, on a terminal only.
final class ProgressLine: Sendable {
    let enabled: Bool

    init(output: OutputFormat) {
        enabled = output == .table && Output.stderrIsTerminal
    }

    func update(_ phase: String, _ done: Int, _ total: Int) {
        guard enabled, total > 0, done == total || done % max(1, total / 100) == 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(phase) \(done)/\(total)".utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}

/// `marquee tower` as a child process, with its CPU and memory read from `/proc`.
struct TowerProcess: Sendable {
    let process: Process
    let url: String

    static func start(database: String, heartbeatSeconds: Int) throws -> TowerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = [
            "tower", "--db", database, "--listen", "127.0.0.1:0", "--heartbeat-interval", "\(heartbeatSeconds)", "--missed-heartbeats", "6",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n"), process.isRunning {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let match = text.firstMatch(of: /listening on (http:\/\/[0-9.]+:\d+)/) else {
            process.terminate()
            throw ValidationError("the tower did not start: \(text)")
        }
        return TowerProcess(process: process, url: String(match.1))
    }

    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Fields after the command: state is [0]; utime [11], stime [12] (clock ticks).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func residentBytes() -> Int64 {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return (Int64(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0) * 1024
        }
        return 0
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
