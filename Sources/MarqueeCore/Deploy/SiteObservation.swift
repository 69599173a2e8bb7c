import Foundation

/// What the engine knows about one site when it advances a rollout.
public struct SiteObservation: Sendable, Equatable {
    public var siteID: String
    public var timeZone: TimeZone
    /// Whether any host of the site is online (or degraded) and can take work.
    public var online: Bool
    /// The application's containers at the site, any version.
    public var containers: [ContainerInstance]

    public init(siteID: String, timeZone: TimeZone, online: Bool, containers: [ContainerInstance]) {
        self.siteID = siteID
        self.timeZone = timeZone
        self.online = online
        self.containers = containers
    }
}

/// Something the engine asks the controller to do.
public enum RolloutAction: Sendable, Equatable {
    /// Place `version` of the rollout's application at the site (nil: remove the application there).
    case deploy(siteID: String, version: String?)
    /// Record an event.
    case event(kind: String, severity: Event.Severity, subject: String, message: String)
}
