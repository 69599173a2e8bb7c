import Foundation
import Logging
import MarqueeAgent
import MarqueeCore
import MarqueeRemote

/// Runs every host of a fleet as an agent in one process, over real HTTP against a real tower.
///
/// Each simulated host is the real ``EdgeAgent`` with the host's generated facts and an in-memory
/// credential. Hosts the generator left `offline` or `pending` stay silent, so the fleet keeps its
/// realistic mix. Agents start spread over one heartbeat interval, as a real fleet would.
public struct FleetSimulator: Sendable {
    public let tower: TowerClient
    public let hosts: [EdgeHost]
    /// Enrollment token per site id.
    public let tokens: [String: String]
    public let heartbeatInterval: Duration
    public let logger: Logger

    public init(tower: TowerClient, hosts: [EdgeHost], tokens: [String: String], heartbeatInterval: Duration = .seconds(10), logger: Logger) {
        self.tower = tower
        self.hosts = hosts
        self.tokens = tokens
        self.heartbeatInterval = heartbeatInterval
        self.logger = logger
    }

    /// Hosts that run an agent (the others stay silent).
    public var activeHosts: [EdgeHost] {
        hosts.filter { $0.status != .offline && $0.status != .pending && tokens[$0.siteID] != nil }
    }

    /// Runs all agents until cancelled.
    public func run() async {
        let active = activeHosts
        logger.info("Simulator starting", metadata: ["sim.hosts": "\(active.count)", "sim.silent": "\(hosts.count - active.count)"])
        await withTaskGroup(of: Void.self) { group in
            for host in active {
                let facts = host.facts
                let agent = EdgeAgent(
                    tower: tower, enrollToken: tokens[host.siteID], facts: { facts }, credentials: MemoryCredentialStore(), logger: logger)
                let delay = Double.random(in: 0..<Double(heartbeatInterval.components.seconds))
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                    try? await agent.run()
                }
            }
        }
    }
}
