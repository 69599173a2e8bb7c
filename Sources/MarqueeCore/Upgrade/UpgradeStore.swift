import Foundation

/// What a host's agent must install: part of its desired state while it is `upgrading`.
public struct HostUpgradeOrder: Codable, Sendable, Equatable {
    /// The plan that ordered it (an agent runs each plan's order once).
    public var plan: String
    public var targets: UpgradeTargets
    public var orderedAt: Date

    public init(plan: String, targets: UpgradeTargets, orderedAt: Date) {
        self.plan = plan
        self.targets = targets
        self.orderedAt = orderedAt
    }
}

/// Storage for upgrade plans and the host changes they make.
public protocol UpgradeStore: Sendable {
    func upgrades() async throws -> [Upgrade]
    func upgrade(name: String) async throws -> Upgrade?
    /// Plans still running, paused, or with a host in flight.
    func workingUpgrades() async throws -> [Upgrade]
    /// Saves the plan with `events` in one transaction.
    func saveUpgrade(_ upgrade: Upgrade, events: [Event]) async throws
    /// Sets a host's status and upgrade order (nil clears it), with `event`, in one transaction.
    func setHostUpgrade(hostID: String, status: HostStatus, order: HostUpgradeOrder?, event: Event) async throws
    /// The host's pending upgrade order, if any.
    func upgradeOrder(hostID: String) async throws -> HostUpgradeOrder?
    /// Hosts, instances per host and time zone of each site in `siteIDs`.
    func upgradeObservations(siteIDs: [String]) async throws -> [String: UpgradeSiteObservation]
    /// The latest `container.unschedulable` message per site since `time`.
    func drainProblems(since time: Date) async throws -> [String: String]
}
