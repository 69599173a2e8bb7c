/// A theater: one edge site with a cluster of hosts behind NAT.
///
/// The administrative ``status`` is what operators set (active, maintenance, locked down).
/// Health is derived from the site's hosts; see ``SiteSummary``.
public struct Site: Codable, Sendable, Equatable, Hashable, Identifiable {
    /// Slug `<country>-<city code>-<number>`, e.g. `se-sto-012`.
    public var id: String
    /// Display name, e.g. `Marquee Stockholm Odenplan`.
    public var name: String
    /// ISO 3166 alpha-2 country code, upper case.
    public var country: String
    /// City display name in its own language (`Zürich`, `東京`).
    public var city: String
    /// IANA time zone identifier, e.g. `Europe/Stockholm`.
    public var timeZone: String
    /// Labels used by placement and selectors; always includes ``LabelKey/required``.
    public var labels: Labels
    /// Administrative status.
    public var status: SiteStatus

    public init(
        id: String, name: String, country: String, city: String, timeZone: String, labels: Labels,
        status: SiteStatus = .active
    ) {
        self.id = id
        self.name = name
        self.country = country
        self.city = city
        self.timeZone = timeZone
        self.labels = labels
        self.status = status
    }
}

/// Administrative status of a site, set by operators.
public enum SiteStatus: String, Codable, Sendable, CaseIterable {
    /// In service: deployments and upgrades may act on it.
    case active
    /// Planned work in progress; rollouts skip it.
    case maintenance
    /// Locked down after an incident: credentials revoked, secrets sealed.
    case lockedDown
    /// Taken out of the fleet.
    case decommissioned
}
