import ArgumentParser
import MarqueeCore
import MarqueeSim

/// The simulated fleet's shape, scenario and speed, shared by `marquee sim` and `marquee demo`.
struct SimulationOptions: ParsableArguments {
    @Option(help: "Number of theaters (3 hosts each).")
    var theaters = 750

    @Option(help: "Fleet seed (the same seed gives the same fleet).")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Scenario to run.", discussion: "\(SimulationOptions.scenarioList)"))
    var scenario = "steady"

    @Argument(help: ArgumentHelp("The scenario's arguments, e.g. DE for wan-outage.", valueName: "scenario-argument"))
    var scenarioArguments: [String] = []

    @Option(
        help: ArgumentHelp(
            "Run the shared clock N times faster.",
            discussion:
                "Heartbeats stay --heartbeat-seconds real seconds apart (N times as many virtual ones), so the tower's load does not grow with N."))
    var speed: Double = 1

    @Option(help: "Real seconds between an agent's heartbeats.")
    var heartbeatSeconds = 10

    @Option(
        name: .customLong("upgrade-fault"),
        help: ArgumentHelp(
            "Make a simulated host's upgrades fail: HOST=never-returns|wrong-version|slow (repeatable).", valueName: "host=fault"))
    var upgradeFaultSpecs: [String] = []

    /// `--upgrade-fault` values by host id.
    var upgradeFaults: [String: SimulatedUpgradeFault] {
        get throws {
            var faults: [String: SimulatedUpgradeFault] = [:]
            for spec in upgradeFaultSpecs {
                let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let fault = SimulatedUpgradeFault(rawValue: parts[1]) else {
                    throw ValidationError(
                        "--upgrade-fault takes HOST=FAULT with FAULT one of \(SimulatedUpgradeFault.allCases.map(\.rawValue).joined(separator: ", ")), not `\(spec)`"
                    )
                }
                faults[parts[0]] = fault
            }
            return faults
        }
    }

    static var scenarioList: String {
        ScenarioRegistry.entries.map { "\($0.usage): \($0.summary)" }.joined(separator: "\n")
    }

    func validate() throws {
        guard theaters > 0 else { throw ValidationError("--theaters must be positive") }
        guard heartbeatSeconds >= 1 else { throw ValidationError("--heartbeat-seconds must be at least 1") }
        guard speed >= 1, speed <= 1_000 else { throw ValidationError("--speed must be between 1 and 1000") }
        _ = try makeScenario()
        _ = try upgradeFaults
    }

    func makeScenario() throws -> any Scenario {
        do {
            return try ScenarioRegistry.make(scenario, arguments: scenarioArguments)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The clock everything in this run shares.
    func makeClock() -> any FleetClock { speed == 1 ? SystemClock() : ScaledClock(speed: speed) }

    /// The heartbeat interval in the shared clock's time.
    var heartbeatInterval: Duration { .seconds(heartbeatSeconds) * speed }
}
