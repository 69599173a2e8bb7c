/// Who is calling: an API token's tenant and role.
public struct Principal: Codable, Sendable, Equatable {
    /// The token's id (`tok_…`), or `admin` for the tower's bootstrap token.
    public var tokenID: String
    /// The token's display name, used as the actor in events and the audit trail.
    public var name: String
    public var tenantID: String
    public var tenantKind: Tenant.Kind
    public var role: Role

    public init(tokenID: String, name: String, tenantID: String, tenantKind: Tenant.Kind, role: Role) {
        self.tokenID = tokenID
        self.name = name
        self.tenantID = tenantID
        self.tenantKind = tenantKind
        self.role = role
    }

    /// The tower's bootstrap admin token (`admin.token` beside the database): a platform admin.
    public static func bootstrapAdmin(tenantID: String) -> Principal {
        Principal(tokenID: "admin", name: "admin-token", tenantID: tenantID, tenantKind: .siteProvider, role: .platformAdmin)
    }

    /// How events and audit records name this caller: `name (role@tenant)`.
    public var actor: String { "\(name) (\(role.rawValue)@\(tenantID))" }

    /// Whether this caller may do `permission` at all (tenant scoping of the data comes on top).
    public func allows(_ permission: Permission) -> Bool {
        Self.allows(role: role, kind: tenantKind, permission)
    }

    /// The policy: one table for the tower's routes and the CLI's local verbs.
    ///
    /// | permission | viewer | operator | tenant-admin | platform-admin |
    /// |---|---|---|---|---|
    /// | read | ✔ | ✔ | ✔ | ✔ |
    /// | readInfrastructure | site provider | site provider | site provider | ✔ |
    /// | deploy, secrets (own tenant's only) | | ✔ | ✔ | ✔ |
    /// | operateHosts, upgrade, lockdown | | site provider | site provider | ✔ |
    /// | manageTokens | | | ✔ | ✔ |
    /// | unlock, manageTenants | | | | ✔ |
    ///
    /// `platform-admin` exists only in site-provider tenants.
    public static func allows(role: Role, kind: Tenant.Kind, _ permission: Permission) -> Bool {
        let provider = kind == .siteProvider
        if role == .platformAdmin { return provider }
        switch permission {
        case .read: return true
        case .readInfrastructure: return provider
        case .deploy, .secrets: return role != .viewer
        case .operateHosts, .upgrade, .lockdown: return provider && role != .viewer
        case .manageTokens: return role == .tenantAdmin
        case .unlock, .manageTenants: return false
        }
    }
}
