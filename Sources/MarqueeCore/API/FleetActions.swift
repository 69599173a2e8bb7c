import Foundation

/// What operators do to the fleet (as opposed to ``FleetAPI``, which only reads).
///
/// The console calls these only in write mode, after a confirmation; the CLI calls them from
/// explicit verbs. ``LocalFleetActions`` works on a store in this process; the HTTP client
/// implements them against a tower.
public protocol FleetActions: Sendable {
    /// Lets a pending host enroll (it receives its credential on its next call).
    func approveHost(id: String, actor: String) async throws -> EdgeHost
    /// Refuses a pending host; it is revoked.
    func rejectHost(id: String, actor: String) async throws -> EdgeHost
    /// Registers a serial in advance: that host is approved at `siteID` on its first call.
    func preRegister(serialNumber: String, siteID: String, actor: String) async throws -> PreRegistration
}

/// ``FleetActions`` on a store in this process.
public struct LocalFleetActions<Store: LifecycleStore & InventoryReading>: FleetActions {
    let lifecycle: HostLifecycle<Store>

    public init(lifecycle: HostLifecycle<Store>) {
        self.lifecycle = lifecycle
    }

    public func approveHost(id: String, actor: String) async throws -> EdgeHost {
        try await lifecycle.approve(hostID: id, actor: actor)
    }

    public func rejectHost(id: String, actor: String) async throws -> EdgeHost {
        try await lifecycle.reject(hostID: id, actor: actor)
    }

    public func preRegister(serialNumber: String, siteID: String, actor: String) async throws -> PreRegistration {
        try await lifecycle.preRegister(serialNumber: serialNumber, siteID: siteID, actor: actor)
    }
}

/// Who is acting, for the audit trail: `$USER@host` unless given.
public enum OperatorIdentity {
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let user = environment["USER"] ?? environment["LOGNAME"] ?? "operator"
        return "\(user)@\(ProcessInfo.processInfo.hostName)"
    }
}
