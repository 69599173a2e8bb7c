import Foundation

/// What the engine knows about one site when it advances a rollout.
public struct SiteObservation: Sendable, Equatable {
    public var siteID: String
    public var timeZone: TimeZone
    /// Whether any host of the site is online (or degraded) and can take work.
    public var online: Bool
    /// The application's containers at the site, any version.
    public var containers: [ContainerInstance]
    /// Why the application's probes at the site count as regressed right now (p95 against its
    /// baseline, or failing probes); `nil` when they do not, or when nobody asked.
    public var probeRegression: String?
    /// The site is locked down: rollouts leave it exactly as it is until it is unlocked.
    public var lockedDown: Bool

    public init(
        siteID: String, timeZone: TimeZone, online: Bool, containers: [ContainerInstance], probeRegression: String? = nil, lockedDown: Bool = false
    ) {
        self.probeRegression = probeRegression
        self.lockedDown = lockedDown
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

/// Tells the deployment engine at which sites an application's probes regressed, for
/// `auto-rollback: on-probe-regression`.
public protocol ProbeRegressionSource: Sendable {
    /// A reason per site among `sites` whose probes for `app` regressed over the last `window` seconds.
    func probeRegressions(app: String, sites: Set<String>, window: TimeInterval) async throws -> [String: String]
}
