import MarqueeCore
import MarqueeRemote

/// The agent's two calls home. ``TowerClient`` is the real one; the simulator wraps it to cut
/// links (a country losing its WAN) without touching the agent's code.
public protocol AgentTransport: Sendable {
    func enroll(token: String, facts: HostFacts) async throws -> AgentEnrollment
    func heartbeat(credential: String, facts: HostFacts?, batches: [ReportBatch]) async throws -> HeartbeatReply
}

extension TowerClient: AgentTransport {}
