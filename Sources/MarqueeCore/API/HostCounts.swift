/// Number of hosts in each status.
public struct HostCounts: Codable, Sendable, Equatable, Hashable {
    public var total = 0
    public var pending = 0
    public var online = 0
    public var degraded = 0
    public var offline = 0
    public var cordoned = 0
    public var upgrading = 0
    public var revoked = 0

    public init() {}

    /// Counts the given hosts.
    public init(_ hosts: some Sequence<EdgeHost>) {
        for host in hosts { add(host.status) }
    }

    /// The count for one status.
    public subscript(status: HostStatus) -> Int {
        get {
            switch status {
            case .pending: pending
            case .online: online
            case .degraded: degraded
            case .offline: offline
            case .cordoned: cordoned
            case .upgrading: upgrading
            case .revoked: revoked
            }
        }
        set {
            total += newValue - self[status]
            switch status {
            case .pending: pending = newValue
            case .online: online = newValue
            case .degraded: degraded = newValue
            case .offline: offline = newValue
            case .cordoned: cordoned = newValue
            case .upgrading: upgrading = newValue
            case .revoked: revoked = newValue
            }
        }
    }

    /// Counts one more host in `status`.
    public mutating func add(_ status: HostStatus) {
        self[status] += 1
    }

    /// Adds another set of counts to this one.
    public mutating func merge(_ other: HostCounts) {
        for status in HostStatus.allCases { self[status] += other[status] }
    }

    /// Hosts not `online`.
    public var notOnline: Int { total - online }
}
