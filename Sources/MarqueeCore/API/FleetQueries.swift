import Foundation

/// Which sites to list.
public struct SiteQuery: Codable, Sendable, Equatable {
    /// A label selector (see ``LabelSelector``), as text.
    public var select: String?
    /// Only sites in this country (ISO alpha-2).
    public var country: String?
    /// Only sites with this derived health.
    public var health: SiteHealth?

    public init(select: String? = nil, country: String? = nil, health: SiteHealth? = nil) {
        self.select = select
        self.country = country
        self.health = health
    }
}

/// Which hosts to list.
public struct HostQuery: Codable, Sendable, Equatable {
    /// A label selector over the hosts' sites, as text.
    public var select: String?
    /// Only hosts of this site.
    public var siteID: String?
    /// Only hosts in this status.
    public var status: HostStatus?

    public init(select: String? = nil, siteID: String? = nil, status: HostStatus? = nil) {
        self.select = select
        self.siteID = siteID
        self.status = status
    }
}

/// Which events to list (newest first).
public struct EventQuery: Codable, Sendable, Equatable {
    /// At most this many events.
    public var limit: Int
    /// Only events at or after this time.
    public var since: Date?
    /// Only events at least this severe.
    public var minimumSeverity: Event.Severity?
    /// Only events whose subject starts with this, e.g. `site/se-sto-012` or `host/`.
    public var subjectPrefix: String?
    /// Only events recorded after the event with this id (tailing the log).
    public var afterID: Int64?
    /// Only events whose kind starts with this, e.g. `probe.` or `host.offline`.
    public var kindPrefix: String?

    public init(
        limit: Int = 200, since: Date? = nil, minimumSeverity: Event.Severity? = nil, subjectPrefix: String? = nil, afterID: Int64? = nil,
        kindPrefix: String? = nil
    ) {
        self.kindPrefix = kindPrefix
        self.limit = limit
        self.since = since
        self.minimumSeverity = minimumSeverity
        self.subjectPrefix = subjectPrefix
        self.afterID = afterID
    }
}
