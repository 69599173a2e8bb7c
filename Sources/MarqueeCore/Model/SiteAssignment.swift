/// A site an application-owner tenant may deploy to. Site-provider tenants own every site and
/// need no assignment.
public struct SiteAssignment: Codable, Sendable, Equatable, Hashable {
    public var tenantID: String
    public var siteID: String

    public init(tenantID: String, siteID: String) {
        self.tenantID = tenantID
        self.siteID = siteID
    }
}
