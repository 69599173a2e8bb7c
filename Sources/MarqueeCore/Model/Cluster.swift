/// The hosts of one site that run its workloads together (three per theater).
public struct Cluster: Codable, Sendable, Equatable, Hashable, Identifiable {
    /// Stable id, e.g. `se-sto-012-c1`.
    public var id: String
    /// The site the cluster belongs to.
    public var siteID: String
    /// Its hosts, ordered by id.
    public var hosts: [EdgeHost]

    public init(id: String, siteID: String, hosts: [EdgeHost]) {
        self.id = id
        self.siteID = siteID
        self.hosts = hosts
    }
}
