import Foundation
import Logging
import MarqueeAgent
import MarqueeCore
import MarqueeRemote

/// Runs every host of a fleet as an agent in one process, over real HTTP against a real tower.
///
/// Each simulated host is the real ``EdgeAgent`` with the host's generated facts, an in-memory
/// credential and outbox, a ``SimulatedRuntime`` and a ``SimulatedLink`` that scenarios can cut.
/// Hosts the generator left `offline` stay silent; `pending` ones ask to join without a token and
/// wait for an operator's approval, so the fleet keeps its realistic mix. Agents start spread over one heartbeat interval, as a real fleet would.
public struct FleetSimulator: Sendable {
    public let towerURL: String
    public let sites: [Site]
    /// Hosts that run an agent.
    public let activeHosts: [EdgeHost]
    public let silentHosts: Int
    public let network = SimulatedNetwork()
    public let clock: any FleetClock
    public let heartbeatInterval: Duration
    public let logger: Logger
    private let agents: [SimulatedAgent]

    struct SimulatedAgent: Sendable {
        let host: EdgeHost
        let country: String
        let outbox: MemoryOutbox
        let agent: EdgeAgent
        let runtime: SimulatedRuntime
    }

    /// - Parameters:
    ///   - tower: the tower the agents call.
    ///   - fleet: the generated fleet (its sites must exist at the tower).
    ///   - tokens: enrollment token per site id; hosts of sites without one stay silent.
    ///   - upgradeFaults: how given hosts' upgrades go wrong.
    public init(
        tower: TowerClient, fleet: FleetSnapshot, tokens: [String: String], seed: UInt64, clock: any FleetClock = SystemClock(),
        heartbeatInterval: Duration = .seconds(10), upgradeFaults: [String: SimulatedUpgradeFault] = [:], logger: Logger
    ) {
        towerURL = tower.baseURL
        sites = fleet.sites
        self.clock = clock
        self.heartbeatInterval = heartbeatInterval
        self.logger = logger
        let countries = Dictionary(uniqueKeysWithValues: fleet.sites.map { ($0.id, $0.country) })
        let containers = Dictionary(grouping: fleet.containers, by: \.hostID)
        // Pending hosts call home without a token and wait for an operator; offline ones stay silent.
        let active = fleet.hosts.filter { $0.status != .offline && tokens[$0.siteID] != nil }
        activeHosts = active
        silentHosts = fleet.hosts.count - active.count
        let network = self.network
        // Thousands of agents retrying through an outage would drown the log; keep their errors only.
        var agentLogger = logger
        agentLogger.logLevel = max(logger.logLevel, .error)
        agents = active.map { host in
            let country = countries[host.siteID] ?? ""
            let outbox = MemoryOutbox()
            let runtime = SimulatedRuntime(
                host: host, containers: containers[host.id] ?? [], seed: seed, upgradeFault: upgradeFaults[host.id], now: { clock.now() })
            let agent = EdgeAgent(
                tower: SimulatedLink(
                    base: tower, network: network, country: country, hostID: host.id, towerURL: tower.baseURL, runtime: runtime,
                    now: { clock.now() }),
                enrollToken: host.status == .pending ? nil : tokens[host.siteID], site: host.siteID, facts: { runtime.facts },
                credentials: MemoryCredentialStore(), outbox: outbox,
                reporter: runtime, applier: runtime, delivery: .onHeartbeat, clock: clock, logger: agentLogger)
            return SimulatedAgent(host: host, country: country, outbox: outbox, agent: agent, runtime: runtime)
        }
    }

    /// Outbox status of each agent in `country` (every agent for `nil`), by host id.
    public func outboxes(country: String? = nil) async -> [String: OutboxStatus] {
        var statuses: [String: OutboxStatus] = [:]
        for agent in agents where country == nil || agent.country == country {
            statuses[agent.host.id] = await agent.outbox.status()
        }
        return statuses
    }

    /// Outbox totals of the agents in `country` (every agent for `nil`).
    public func outboxTotals(country: String? = nil) async -> OutboxTotals {
        OutboxTotals(await outboxes(country: country).values)
    }

    /// Runs all agents and `scenario` until cancelled.
    public func run(scenario: any Scenario = SteadyScenario(), narrate: @escaping @Sendable (String) -> Void = { _ in }) async {
        logger.info("Simulator starting", metadata: ["sim.hosts": "\(agents.count)", "sim.silent": "\(silentHosts)"])
        let context = ScenarioContext(
            network: network, clock: clock, heartbeatInterval: heartbeatInterval, sites: sites, hosts: activeHosts,
            outboxes: { country in await outboxes(country: country) },
            runtimes: Dictionary(uniqueKeysWithValues: agents.map { ($0.host.id, $0.runtime) }), narrate: narrate)
        await withTaskGroup(of: Void.self) { group in
            let spread = Double(heartbeatInterval.components.seconds)
            for simulated in agents {
                let delay = Duration.milliseconds(Int(Double.random(in: 0..<spread) * 1000))
                group.addTask {
                    try? await clock.sleep(for: delay)
                    do {
                        try await simulated.agent.run()
                    } catch {
                        logger.error("Simulated agent stopped", metadata: ["host.id": "\(simulated.host.id)", "error": "\(error)"])
                    }
                }
            }
            group.addTask {
                do {
                    try await scenario.run(in: context)
                } catch is CancellationError {
                } catch {
                    narrate("scenario \(scenario.title) failed: \(error)")
                }
            }
        }
    }
}

/// Outbox figures summed over simulated hosts.
public struct OutboxTotals: Sendable, Equatable, Codable {
    public var hosts = 0
    /// Batches created (sum of each host's last sequence).
    public var created: Int64 = 0
    /// Batches the tower acknowledged.
    public var acknowledged: Int64 = 0
    public var pending = 0
    public var dropped: Int64 = 0

    public init(_ statuses: some Sequence<OutboxStatus> = []) {
        for status in statuses {
            hosts += 1
            created += status.lastSequence
            acknowledged += status.acknowledged
            pending += status.pending
            dropped += status.dropped
        }
    }
}
