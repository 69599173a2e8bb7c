/// Lifecycle and health status of an edge host.
public enum HostStatus: String, Codable, Sendable, CaseIterable, Comparable {
    /// Enrolled, waiting for approval.
    case pending
    /// Calling home and healthy.
    case online
    /// Calling home but reporting a problem.
    case degraded
    /// Missed its heartbeats.
    case offline
    /// Takes no new instances (before an upgrade or by an operator).
    case cordoned
    /// An infrastructure upgrade is running on it.
    case upgrading
    /// Its credential was revoked (lockdown, theft); it is no longer trusted.
    case revoked

    /// How urgently an operator should look at a host in this state; higher is worse.
    ///
    /// Used to pick a site's worst host and to sort tables.
    public var severity: Int {
        switch self {
        case .online: 0
        case .cordoned: 1
        case .upgrading: 2
        case .pending: 3
        case .degraded: 4
        case .offline: 5
        case .revoked: 6
        }
    }

    /// Whether the host is serving workloads normally.
    public var isHealthy: Bool { self == .online }

    public static func < (lhs: HostStatus, rhs: HostStatus) -> Bool { lhs.severity < rhs.severity }
}
