import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MarqueeConsole
import MarqueeCore
import MarqueeRemote
import MarqueeSim
import MarqueeTower

/// `marquee demo`: a tower, a simulated fleet calling home to it, and the console, on one machine.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a tower, a simulated fleet of agents calling home over HTTP, and the console on it.",
        discussion: "The console reads through the tower's HTTP API, exactly as it would from an operator's laptop. :q stops everything."
    )

    @OptionGroup(title: "Simulation") var simulation: SimulationOptions

    @Option(help: "Directory for the demo database and admin token. Default: $XDG_DATA_HOME/marquee/demo.")
    var dataDir: String?

    @Flag(help: "No console: print the tower URL and the admin token's path, run until interrupted.")
    var headless = false

    @Flag(help: "Open the console in write mode (approve pending hosts, steer rollouts, start and steer upgrades).")
    var write = false

    @Option(help: "Missed heartbeats after which the demo's tower marks a host offline.")
    var missedHeartbeats = 3

    @Option(help: "Console theme.")
    var theme: String?

    @Option(help: "Apply these specs (a file or directory, e.g. examples/) once the fleet is up, as `marquee apply` would.")
    var apply: String?

    @Option(help: "Open the console on this view, e.g. rollouts or apps.")
    var view: String?

    @Option(name: .customLong("log-level"), help: "Log level (written to $XDG_STATE_HOME/marquee/marquee.log).")
    var logLevel = "warning"

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        if !headless && (isatty(STDIN_FILENO) != 1 || isatty(STDOUT_FILENO) != 1) {
            throw ValidationError("the demo's console needs a terminal; use --headless to run without it")
        }
        guard missedHeartbeats >= 1 else { throw ValidationError("--missed-heartbeats must be at least 1") }
        let logger = try GlobalOptions.parse(["--log-level", logLevel]).makeLogger("marquee.demo", logToFile: !headless)
        // Read the specs first: a broken file stops the demo before it starts, with every problem listed.
        var specs: [SpecFile]?
        if let apply {
            do {
                specs = try SpecFile.read(apply)
                _ = try SpecFile.parse(specs ?? [])
            } catch {
                try SpecProblems.report(error, in: apply, output: .table)
            }
        }
        let initialView = try view.map { text in
            guard let kind = ScreenKind(argument: text) else { throw ValidationError("--view: unknown view '\(text)'") }
            return kind
        }
        let scenario = try simulation.makeScenario()
        let clock = simulation.makeClock()
        let directory = dataDir ?? DatabaseLocation.dataDirectory(environment: environment) + "/demo"
        let database = try FleetDatabase.open(at: "\(directory)/demo.db", create: true)
        let store = SQLiteFleetStore(database)

        let progress = TerminalProgress(label: "Generating theaters", output: .table)
        let fleet = try FleetGenerator(.init(theaters: simulation.theaters, seed: simulation.seed, now: Date())).generate(progress: progress.update)
        progress.finish()
        try await store.replaceFleet(with: fleet)
        let backfill = TerminalProgress(label: "Backfilling a week of probe history", output: .table)
        try await ProbeBackfill.run(fleet: fleet, store: store, now: clock.now(), progress: backfill.update)
        backfill.finish()
        let logHistory = TerminalProgress(label: "Backfilling an hour of logs", output: .table)
        try await LogBackfill.run(fleet: fleet, store: store, now: clock.now(), progress: logHistory.update)
        logHistory.finish()
        let lifecycle = HostLifecycle(
            store: store, heartbeatInterval: simulation.heartbeatInterval, missedHeartbeats: missedHeartbeats, shedding: .tower, now: clock.now)
        var tokens: [String: String] = [:]
        for site in fleet.sites { tokens[site.id] = try await lifecycle.createEnrollmentToken(siteID: site.id, ttl: .seconds(86_400)).token }
        let tokenPath = AdminToken.path(besideDatabase: database.path)
        let adminToken = try AdminToken.loadOrCreate(at: tokenPath).token

        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let masterKey = try MasterKey.load(
            at: MasterKey.path(besideDatabase: database.path), environment: ProcessInfo.processInfo.environment, create: true)
        let application = try Tower.application(
            api: LocalFleetAPI(inventory: store, events: store, now: { clock.now() }), lifecycle: lifecycle, adminToken: adminToken,
            masterKey: masterKey, port: 0, clock: clock, logger: logger
        ) { port in portContinuation.yield(port) }

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { return }
            let url = "http://127.0.0.1:\(port)"
            let simulator = FleetSimulator(
                tower: try TowerClient(baseURL: url), fleet: fleet, tokens: tokens, seed: simulation.seed, clock: clock,
                heartbeatInterval: simulation.heartbeatInterval, upgradeFaults: try simulation.upgradeFaults, logger: logger)
            let headless = self.headless
            // The scenario's story also goes into the event log, so the console's :events shows it.
            let title = scenario.title
            let narrate: @Sendable (String) -> Void = { line in
                if headless { Output.writeStandardOutput(Data((line + "\n").utf8)) }
                logger.notice("\(line)")
                let event = Event(
                    time: clock.now(), kind: "demo.scenario", severity: .notice, subject: "fleet", message: line, actor: "scenario/\(title)")
                Task { _ = try? await store.record(event) }
            }
            group.addTask { await simulator.run(scenario: scenario, narrate: narrate) }
            if let specs {
                let report = try await HTTPFleetAPI(baseURL: url, token: adminToken).apply(
                    specs, actor: "marquee demo --apply", gitCommit: nil, prune: false)
                let started = report.changes.filter { $0.kind == "rollout" && $0.action == .started }.map(\.name)
                narrate("Applied \(apply ?? ""): \(started.isEmpty ? "nothing to roll out" : "rolling out \(started.joined(separator: ", "))")")
            }
            if headless {
                let lines = """
                    Tower: \(url)  (admin token in \(tokenPath))
                    Simulating \(simulator.activeHosts.count) agents of \(fleet.sites.count) theaters (scenario: \(scenario.title), speed \(simulation.speed)×); Ctrl-C stops.
                    Try: MARQUEE_TOWER=\(url) MARQUEE_TOKEN_FILE=\(tokenPath) marquee console

                    """
                Output.writeStandardOutput(Data(lines.utf8))
                try await group.next()
            } else {
                let loaded = ThemeLoader.load(theme, environment: environment)
                let api = try HTTPFleetAPI(baseURL: url, token: adminToken)
                let options = ConsoleOptions(
                    view: initialView ?? (specs == nil ? .countries : .rollouts), readOnly: !write, theme: loaded.theme, themeWarning: loaded.warning,
                    environment: environment)
                try await ConsoleRuntime(
                    api: api, actions: api, deployments: api, upgrades: api, probes: api, logs: api, security: api, options: options, logger: logger
                ).run()
            }
            group.cancelAll()
        }
    }
}
