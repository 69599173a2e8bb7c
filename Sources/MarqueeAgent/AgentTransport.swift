import MarqueeCore
import MarqueeRemote

/// The agent's two calls home. ``TowerClient`` is the real one; the simulator wraps it to cut
/// links (a country losing its WAN) without touching the agent's code.
public protocol AgentTransport: Sendable {
    /// Enrolls with a site token, or without one by serial at `site`; throws
    /// ``RemoteError/pendingApproval(hostID:)`` while an operator has not approved the host.
    func enroll(token: String?, site: String?, facts: HostFacts) async throws -> AgentEnrollment
    func heartbeat(credential: String, facts: HostFacts?, batches: [ReportBatch]) async throws -> HeartbeatReply
    /// The host's desired state; a long-poll when `after` is current and `waitSeconds` > 0.
    func desiredState(credential: String, after: Int64?, waitSeconds: Int) async throws -> DesiredState
}

extension TowerClient: AgentTransport {}
