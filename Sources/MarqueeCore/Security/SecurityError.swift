/// Why a tenant, token or audit operation was refused.
public enum SecurityError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownTenant(String)
    case tenantExists(String)
    case invalidTenantID(String)
    case unknownToken(String)
    /// `platform-admin` only exists in site-provider tenants.
    case roleNotAllowed(role: Role, kind: Tenant.Kind)
    case invalidParameter(name: String, reason: String)
    /// The caller's role does not include `permission`.
    case forbidden(principal: String, permission: Permission)
    /// The caller may act only inside its own tenant.
    case otherTenant(principal: String, tenant: String)
    case unknownSite(String)
    case unknownHost(String)
    case alreadyLockedDown(String)
    case notLockedDown(String)

    public var description: String {
        switch self {
        case .unknownTenant(let id): "no tenant '\(id)' (see `marquee tenants list`)"
        case .tenantExists(let id): "tenant '\(id)' already exists"
        case .invalidTenantID(let id): "tenant id '\(id)' must be 2–40 lower-case letters, digits or '-', starting with a letter"
        case .unknownToken(let id): "no token '\(id)' (see `marquee tokens list`)"
        case .roleNotAllowed(let role, let kind):
            "role \(role.rawValue) does not exist in \(kind.rawValue) tenants (use tenant-admin, operator or viewer)"
        case .invalidParameter(let name, let reason): "\(name): \(reason)"
        case .forbidden(let principal, let permission): "\(principal) may not \(permission.phrase)"
        case .otherTenant(let principal, let tenant): "\(principal) may act only in its own tenant, not in '\(tenant)'"
        case .unknownSite(let id): "no site '\(id)'"
        case .unknownHost(let id): "no host '\(id)'"
        case .alreadyLockedDown(let id): "site \(id) is already locked down"
        case .notLockedDown(let id): "site \(id) is not locked down"
        }
    }
}

extension Permission {
    /// What the permission allows, for error messages: "may not <phrase>".
    public var phrase: String {
        switch self {
        case .read: "read the fleet"
        case .readInfrastructure: "read host internals (runtime, OS and kernel logs, enrollment, upgrades)"
        case .deploy: "apply specs or steer rollouts"
        case .secrets: "handle secrets (operators and admins of the owning tenant)"
        case .operateHosts: "approve, reject or enroll hosts"
        case .upgrade: "run infrastructure upgrades"
        case .lockdown: "lock sites down"
        case .unlock: "unlock sites (platform-admin only)"
        case .manageTokens: "manage API tokens (tenant-admin or platform-admin)"
        case .manageTenants: "manage tenants (platform-admin only)"
        }
    }
}

/// An error that may mean "this caller may not see that" (a 403), so optional views can show
/// nothing instead of failing: an application owner's console has no upgrades to show.
public protocol AccessDenial: Error {
    /// Whether the error is a refusal by role or tenant (not a fault).
    var deniesAccess: Bool { get }
}

extension SecurityError: AccessDenial {
    public var deniesAccess: Bool {
        switch self {
        case .forbidden, .otherTenant: true
        default: false
        }
    }
}
