import Foundation

/// An API token as the tower keeps it: the secret itself is shown once and stored only as a hash.
public struct APIToken: Codable, Sendable, Equatable, Identifiable {
    /// `tok_` + 12 hex digits: how operators name the token to revoke it.
    public var id: String
    /// A label for people (`service-desk`, `ci-vendor`); the actor in events and the audit trail.
    public var name: String
    public var tenantID: String
    public var role: Role
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?
    /// Who created it.
    public var createdBy: String

    public init(
        id: String, name: String, tenantID: String, role: Role, createdAt: Date, expiresAt: Date, revokedAt: Date? = nil, createdBy: String
    ) {
        self.id = id
        self.name = name
        self.tenantID = tenantID
        self.role = role
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.createdBy = createdBy
    }

    /// Whether the token still works at `time`.
    public func isValid(at time: Date) -> Bool { revokedAt == nil && time < expiresAt }
}

/// A newly created token: the record and its secret, which is never shown again.
public struct IssuedToken: Codable, Sendable {
    public var token: APIToken
    public var secret: String

    public init(token: APIToken, secret: String) {
        self.token = token
        self.secret = secret
    }
}
