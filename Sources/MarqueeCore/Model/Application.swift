/// One version of an application that a tenant ships to sites.
public struct Application: Codable, Sendable, Equatable, Hashable {
    /// Name, e.g. `people-counter`.
    public var name: String
    /// Version, e.g. `2.4.1`.
    public var version: String
    /// The owning tenant's id.
    public var tenantID: String

    public init(name: String, version: String, tenantID: String) {
        self.name = name
        self.version = version
        self.tenantID = tenantID
    }
}
