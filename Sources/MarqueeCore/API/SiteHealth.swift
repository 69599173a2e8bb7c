/// A site's health, derived from its hosts' statuses.
public enum SiteHealth: String, Codable, Sendable, CaseIterable, Comparable {
    /// Every host is online.
    case healthy
    /// At least one host is not online, but at least one is.
    case degraded
    /// No host is online: the theater's apps are down.
    case down
    /// The site has no hosts yet.
    case unknown

    /// Derives health from host counts.
    public init(_ counts: HostCounts) {
        if counts.total == 0 {
            self = .unknown
        } else if counts.online == counts.total {
            self = .healthy
        } else if counts.online == 0 {
            self = .down
        } else {
            self = .degraded
        }
    }

    /// Worse health sorts later.
    var rank: Int {
        switch self {
        case .healthy: 0
        case .unknown: 1
        case .degraded: 2
        case .down: 3
        }
    }

    public static func < (lhs: SiteHealth, rhs: SiteHealth) -> Bool { lhs.rank < rhs.rank }
}
