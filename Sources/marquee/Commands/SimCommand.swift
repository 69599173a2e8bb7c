import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueeRemote
import MarqueeSim

/// `marquee sim --tower URL`: every host of a generated fleet as an agent, against a real tower.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run a generated fleet's hosts as agents against a tower, over real HTTP.",
        discussion: """
            The tower must hold the same fleet: `marquee fleet generate --theaters N --seed S --db TOWER.db` before starting it.
            The simulator creates one enrollment token per site with the admin token, then runs every active host's agent.
            """
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions
    @OptionGroup(title: "Simulation") var simulation: SimulationOptions

    @Option(help: "Stop after this many seconds of the shared clock and print a summary (default: run until interrupted).")
    var duration: Double?

    func validate() throws {
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.sim")
        guard let url = global.towerURL else { throw ValidationError("give the tower's URL with --tower or MARQUEE_TOWER") }
        let scenario = try simulation.makeScenario()
        let api = try global.remoteTower(url)
        let towerSites = Set(try await api.sites(SiteQuery()).map(\.site.id))
        let progress = TerminalProgress(label: "Generating theaters", output: global.output)
        let fleet = try FleetGenerator(.init(theaters: simulation.theaters, seed: simulation.seed, now: Date())).generate(progress: progress.update)
        progress.finish()
        let sites = fleet.sites.filter { towerSites.contains($0.id) }
        guard !sites.isEmpty else {
            throw ValidationError(
                "the tower at \(url) has none of the \(fleet.sites.count) generated sites; "
                    + "run `marquee fleet generate --theaters \(simulation.theaters) --seed \(simulation.seed) --db TOWER.db` first")
        }
        let tower = try global.towerClient(url)
        let tokenProgress = TerminalProgress(label: "Creating enrollment tokens", output: global.output)
        var tokens: [String: String] = [:]
        for (index, site) in sites.enumerated() {
            tokens[site.id] = try await tower.createEnrollmentToken(site: site.id, ttlSeconds: 86_400, adminToken: global.bearerToken).token
            tokenProgress.update(index + 1, of: sites.count)
        }
        tokenProgress.finish()
        let clock = simulation.makeClock()
        let simulator = FleetSimulator(
            tower: tower, fleet: fleet, tokens: tokens, seed: simulation.seed, clock: clock, heartbeatInterval: simulation.heartbeatInterval,
            upgradeFaults: try simulation.upgradeFaults, logger: logger)
        let output = global.output
        let narrate: @Sendable (String) -> Void = { line in
            if output == .table { Output.printError(line) }
            logger.notice("\(line)")
        }
        narrate(
            "Simulating \(simulator.activeHosts.count) agents of \(sites.count) theaters against \(url) (scenario: \(scenario.title)); Ctrl-C stops.")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await simulator.run(scenario: scenario, narrate: narrate) }
            if let duration {
                group.addTask { try? await clock.sleep(for: .milliseconds(Int(duration * 1000))) }
                await group.next()
                group.cancelAll()
            }
        }
        let totals = await simulator.outboxTotals()
        let summary = SimulationSummary(scenario: scenario.title, sites: sites.count, agents: simulator.activeHosts.count, outboxes: totals)
        switch output {
        case .json: Output.printJSON(summary)
        case .table:
            print(
                "\(summary.agents) agents: \(totals.created) report batches created, \(totals.acknowledged) acknowledged by the tower, "
                    + "\(totals.pending) still in outboxes, \(totals.dropped) dropped")
        }
    }
}

/// `marquee sim --output json`'s result.
struct SimulationSummary: Encodable {
    var kind = "SimulationSummary"
    var scenario: String
    var sites: Int
    var agents: Int
    var outboxes: OutboxTotals
}
