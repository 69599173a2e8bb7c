/// An organisation that owns sites or deploys applications to them.
///
/// The theater chain's platform team is a ``Kind/siteProvider``: it owns the sites and hosts.
/// A third-party vendor is an ``Kind/applicationOwner``: it deploys only to sites assigned to it.
public struct Tenant: Codable, Sendable, Equatable, Hashable, Identifiable {
    /// What a tenant may own.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Owns sites, hosts and the infrastructure (OS, kernel, runtime).
        case siteProvider
        /// Owns applications deployed onto sites it has been assigned.
        case applicationOwner
    }

    /// Slug such as `mtc-platform`.
    public var id: String
    /// Display name.
    public var name: String
    /// What the tenant may own.
    public var kind: Kind

    public init(id: String, name: String, kind: Kind) {
        self.id = id
        self.name = name
        self.kind = kind
    }
}
