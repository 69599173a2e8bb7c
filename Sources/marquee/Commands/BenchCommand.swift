import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeSim

/// `marquee bench …`: benchmarks that print figures (never pass/fail).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run benchmarks and print figures. Build with -c release for meaningful numbers.",
        subcommands: [
            BenchSelectorsCommand.self, BenchConsoleCommand.self, BenchTowerCommand.self, BenchDeployCommand.self, BenchProbesCommand.self,
            BenchLogsCommand.self, BenchUpgradeCommand.self,
        ]
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

/// `marquee bench deploy`: placement of 100 deployments, and a 750-site rollout's control overhead.
struct BenchDeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract:
            "Place 100 deployments over the fleet (goal ≤ 5 ms) and run a rollout to every theater on a virtual clock (goal: overhead ≤ 10 % of the health gates)."
    )

    @OptionGroup var bench: BenchOptions

    @Option(help: "Timed placement iterations.")
    var iterations = 100

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be at least 1") }
    }

    func run() async throws {
        let fleet = try FleetGenerator(.init(theaters: bench.theaters, seed: bench.seed, now: Date())).generate()
        let progress = TerminalProgress(label: "Benchmarking deployments", output: bench.output)
        let result = try await DeployBenchmark(fleet: fleet, iterations: iterations).run(progress: progress.update)
        progress.finish()
        switch bench.output {
        case .json: Output.printJSON(result)
        case .table:
            func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
            let rollout = result.rollout
            var table = TextTable(columns: [.init("FIGURE"), .init("VALUE", alignRight: true)])
            table.append(["deployments × sites", "\(result.deployments) × \(result.sites)"])
            table.append(["placement index build, p50", "\(format(result.indexBuildP50Milliseconds)) ms"])
            table.append(["placement + waves, p50", "\(format(result.placementP50Milliseconds)) ms"])
            table.append(["placement + waves, p99", "\(format(result.placementP99Milliseconds)) ms"])
            table.append(["sites placed per iteration", "\(result.sitesPlaced)"])
            table.append(["rollout: sites / waves", "\(rollout.sites) / canary + \(rollout.waves)"])
            table.append(["rollout: state", rollout.finalState])
            table.append(["rollout: virtual length", RelativeDuration.format(rollout.virtualSeconds)])
            table.append(["rollout: summed health gates", RelativeDuration.format(rollout.summedGateSeconds)])
            table.append(["rollout: control overhead", "\(format(rollout.controlOverhead * 100, 1)) %"])
            table.append(["rollout: ticks", "\(rollout.ticks)"])
            table.append(["controller time, total", "\(format(rollout.controllerMilliseconds, 0)) ms"])
            table.append(["tick, p50 / p99", "\(format(rollout.tickP50Milliseconds)) / \(format(rollout.tickP99Milliseconds)) ms"])
            table.append(["peak memory", "\(format(result.peakMemoryMiB, 0)) MiB"])
            print(table.render())
            print("Goals: placement of 100 apps × 750 sites ≤ 5 ms; control overhead ≤ 10 % of the summed health-gate time.")
        }
    }
}

/// `marquee bench upgrade`: a whole-fleet upgrade on a virtual clock.
struct BenchUpgradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract:
            "Upgrade every host of the fleet on a virtual clock through the real engine and store (goal: orchestration overhead ≤ 10 % of the steps' own durations)."
    )

    @OptionGroup var bench: BenchOptions

    @Option(help: "Theaters upgrading at once after the canary.")
    var parallel = 50

    func run() async throws {
        let fleet = try FleetGenerator(.init(theaters: bench.theaters, seed: bench.seed, now: Date(timeIntervalSince1970: 1_795_831_200))).generate()
        let progress = TerminalProgress(label: "Upgrading \(fleet.hosts.count) simulated hosts", output: bench.output)
        let result = try await UpgradeBenchmark(fleet: fleet, parallel: parallel).run(progress: progress.update)
        progress.finish()
        switch bench.output {
        case .json: Output.printJSON(result)
        case .table:
            func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
            var table = TextTable(columns: [.init("FIGURE"), .init("VALUE", alignRight: true)])
            table.append(["theaters / hosts / waves", "\(result.sites) / \(result.hosts) / \(result.waves)"])
            table.append(["hosts upgraded", "\(result.hostsUpgraded) of \(result.hosts)"])
            table.append(["fleet upgrade, virtual", "\(format(result.virtualSeconds / 3_600, 2)) h"])
            table.append(["sum of the steps' durations", "\(format(result.summedDurationSeconds / 3_600, 2)) h"])
            table.append(["orchestration overhead", "\(format(result.orchestrationOverhead * 100)) %"])
            table.append(["tower tick p50 / p99", "\(format(result.tickP50Milliseconds, 2)) / \(format(result.tickP99Milliseconds, 2)) ms"])
            table.append([
                "tower CPU per hour supervised",
                "\(format(result.cpuSecondsPerVirtualHour, 2)) s (\(format(result.cpuSecondsPerVirtualHour / 36, 2)) % of a core)",
            ])
            table.append(["final state", result.finalState + (result.reason.map { ": \($0)" } ?? "")])
            table.append(["peak memory", "\(format(result.peakMemoryMiB)) MiB"])
            table.append([
                "services at zero running",
                "\(result.servicesAtZero) in \(result.availabilityChecks) checks of \(result.servicesWatched) services",
            ])
            print(table.render())
            for site in result.haltedSites { print("halted: \(site)") }
            for example in result.servicesAtZeroExamples { print("at zero: \(example)") }
            print("Goal: overhead ≤ 10 % (per host: 20 s replacement start + 240 s reboot + 300 s healthy-for; ticks every 5 s).")
        }
    }
}
