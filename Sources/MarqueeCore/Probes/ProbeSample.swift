import Foundation

/// One synthetic probe run against a container, as an agent measured it.
///
/// The host and site are not carried: the tower takes them from the reporting host's
/// credential, so an agent cannot file samples under another site.
public struct ProbeSample: Codable, Sendable, Equatable {
    public var app: String
    public var service: String
    /// The container instance id (`host/app/service-N[/container]`).
    public var container: String
    /// Which probe: `startup`, `liveness`, `readiness`, or `check:NAME` for an application's
    /// synthetic check.
    public var probe: String
    /// Time from sending the request to the answer (or to the failure), in milliseconds.
    public var latencyMilliseconds: Double
    public var success: Bool
    /// The HTTP status, `exit N` for exec probes, `connected` for tcp, or the error.
    public var status: String?

    public init(
        app: String, service: String, container: String, probe: String, latencyMilliseconds: Double, success: Bool, status: String? = nil
    ) {
        self.app = app
        self.service = service
        self.container = container
        self.probe = probe
        self.latencyMilliseconds = latencyMilliseconds
        self.success = success
        self.status = status
    }
}

extension ProbeSample {
    /// The series the sample belongs to: the application, or `APP:CHECK` for a synthetic check, so a
    /// user-journey check (a page, a purchase) is judged on its own rather than mixed with health probes.
    public var series: String {
        probe.hasPrefix("check:") ? "\(app):\(probe.dropFirst("check:".count))" : app
    }
}
