import Foundation

/// One running (or stopped) container of an application service on a host.
public struct ContainerInstance: Codable, Sendable, Equatable, Hashable, Identifiable {
    /// State as reported by the runtime driver.
    public enum State: String, Codable, Sendable, CaseIterable {
        case created, starting, running, unhealthy, stopped, failed
    }

    /// Stable id, e.g. `se-sto-012-h1/people-counter/counter-0`.
    public var id: String
    /// Application name.
    public var app: String
    /// Service within the application.
    public var service: String
    /// Owning tenant's id.
    public var tenantID: String
    /// Host it runs on.
    public var hostID: String
    /// The runtime's own id for the instance (container id or pid).
    public var runtimeInstanceID: String
    /// Image reference.
    public var image: String
    /// The application version it runs (empty for containers placed before the deployment engine).
    public var version: String
    /// Current state.
    public var state: State
    /// Restart count since it was placed.
    public var restarts: Int
    /// When the current instance started; `nil` if it has not.
    public var startedAt: Date?
    /// The runtime's last word on it when something is wrong, e.g. `exited with status 1`.
    public var detail: String?

    public init(
        id: String, app: String, service: String, tenantID: String, hostID: String, runtimeInstanceID: String,
        image: String, version: String = "", state: State, restarts: Int, startedAt: Date?, detail: String? = nil
    ) {
        self.id = id
        self.app = app
        self.service = service
        self.tenantID = tenantID
        self.hostID = hostID
        self.runtimeInstanceID = runtimeInstanceID
        self.image = image
        self.version = version
        self.state = state
        self.restarts = restarts
        self.startedAt = startedAt
        self.detail = detail
    }
}
