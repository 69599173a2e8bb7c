import Foundation

/// What should run on one host, at a per-host revision that grows whenever it changes.
///
/// Agents learn the revision from each heartbeat reply and fetch (or long-poll) the state when it
/// moves. The deployment engine fills the containers; until then they are the host's placed
/// containers from the inventory.
public struct DesiredState: Codable, Sendable, Equatable {
    public var hostID: String
    public var revision: Int64
    public var containers: [ContainerInstance]
    /// What each container runs (by container id), with site values resolved; containers placed
    /// before the deployment engine have none.
    public var specs: [String: ContainerSpec]
    /// Versions to install now (an upgrade plan's order), while the host is `upgrading`.
    public var upgrade: HostUpgradeOrder?
    /// The secrets these containers reference, sealed for the site (absent when they reference none).
    public var secrets: EdgeSecretBundle?
    /// The CPU and memory quota at this host's site of each tenant with containers here (0: no
    /// limit), which the process driver sets on the tenant's parent cgroup as a second fence.
    public var tenantLimits: [String: ResourceRequest]?
    /// The other hosts of this host's theater that may exchange key shares with it (none when the
    /// site is locked down; revoked hosts never).
    public var peers: [SitePeer]?
    /// This host's share of the site key (absent while the site has none, or is locked down).
    public var keyShare: SiteKeyShare?

    public init(
        hostID: String, revision: Int64, containers: [ContainerInstance], specs: [String: ContainerSpec] = [:], upgrade: HostUpgradeOrder? = nil,
        secrets: EdgeSecretBundle? = nil
    ) {
        self.hostID = hostID
        self.revision = revision
        self.containers = containers
        self.specs = specs
        self.upgrade = upgrade
        self.secrets = secrets
    }
}

/// Storage for desired-state revisions.
public protocol DesiredStateStore: Sendable {
    /// The host's desired-state revision (0 before anything was placed by the engine).
    func desiredRevision(hostID: String) async throws -> Int64
    /// Bumps the revision of each host (in one transaction) and returns the new values.
    func bumpDesiredRevision(hostIDs: [String], at time: Date) async throws -> [String: Int64]
    /// What should run on a host, with each container's spec (site labels resolved).
    func desiredContainers(hostID: String) async throws -> (containers: [ContainerInstance], specs: [String: ContainerSpec])
    /// The host's pending upgrade order, if any.
    func upgradeOrder(hostID: String) async throws -> HostUpgradeOrder?
}

/// Wakes long-polling agents when their host's desired state changes (in this tower process).
public actor DesiredStateNotifier {
    private var waiters: [String: [UUID: AsyncStream<Void>.Continuation]] = [:]

    public init() {}

    /// Returns when `hostID` is notified or `timeout` passes, whichever is first.
    public func wait(hostID: String, timeout: Duration, clock: any FleetClock) async {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        // Registered before the first suspension, so a notify cannot slip in between.
        waiters[hostID, default: [:]][id] = continuation
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in stream { return }
            }
            group.addTask { try? await clock.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        waiters[hostID]?.removeValue(forKey: id)
        if waiters[hostID]?.isEmpty == true { waiters[hostID] = nil }
        continuation.finish()
    }

    /// Wakes every waiter of `hostIDs`.
    public func notify(_ hostIDs: some Sequence<String>) {
        for hostID in hostIDs {
            for continuation in (waiters[hostID] ?? [:]).values { continuation.yield() }
        }
    }

    /// Agents waiting now (for metrics and tests).
    public var waiting: Int { waiters.values.reduce(0) { $0 + $1.count } }
}
