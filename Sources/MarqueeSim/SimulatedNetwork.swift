import Foundation
import MarqueeAgent
import MarqueeCore
import MarqueeRemote
import Synchronization

/// The WAN between simulated sites and the tower: scenarios cut and restore links by country.
public final class SimulatedNetwork: Sendable {
    private let cut = Mutex<Set<String>>([])
    private let gone = Mutex<Set<String>>([])

    public init() {}

    /// Takes a host off the network for good (stolen, or unplugged): it never calls again.
    public func unplug(hostID: String) { _ = gone.withLock { $0.insert(hostID) } }

    public func isUnplugged(hostID: String) -> Bool { gone.withLock { $0.contains(hostID) } }

    /// Cuts every site in `country` (ISO code) off the tower.
    public func cutOff(country: String) { _ = cut.withLock { $0.insert(country.uppercased()) } }

    /// Restores `country`'s link.
    public func restore(country: String) { _ = cut.withLock { $0.remove(country.uppercased()) } }

    public func isCutOff(country: String) -> Bool { cut.withLock { $0.contains(country) } }
}

/// A simulated site's link to the tower: the real ``TowerClient`` unless the network cut it.
struct SimulatedLink: AgentTransport {
    let base: any AgentTransport
    let network: SimulatedNetwork
    let country: String
    var hostID = ""
    let towerURL: String
    /// The host behind the link: no call goes out while it reboots for an upgrade.
    var runtime: SimulatedRuntime? = nil
    var now: @Sendable () -> Date = { Date() }

    private func check() throws {
        if network.isUnplugged(hostID: hostID) {
            throw RemoteError.unreachable(url: towerURL, detail: "simulated host \(hostID) is gone")
        }
        if network.isCutOff(country: country) {
            throw RemoteError.unreachable(url: towerURL, detail: "simulated WAN outage in \(country)")
        }
        if let runtime, runtime.isDown(at: now()) {
            throw RemoteError.unreachable(url: towerURL, detail: "simulated host rebooting for an upgrade")
        }
    }

    func enroll(token: String?, site: String?, facts: HostFacts) async throws -> AgentEnrollment {
        try check()
        return try await base.enroll(token: token, site: site, facts: facts)
    }

    func heartbeat(credential: String, facts: HostFacts?, batches: [ReportBatch]) async throws -> HeartbeatReply {
        try check()
        return try await base.heartbeat(credential: credential, facts: facts, batches: batches)
    }

    func desiredState(credential: String, after: Int64?, waitSeconds: Int) async throws -> DesiredState {
        try check()
        return try await base.desiredState(credential: credential, after: after, waitSeconds: waitSeconds)
    }
}
