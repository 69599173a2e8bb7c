/// What a token may do, within its tenant.
///
/// `platform-admin` exists only in site-provider tenants; the other three exist in both kinds.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    /// The chain's platform team leads: everything, including tenants and unlocking sites.
    case platformAdmin = "platform-admin"
    /// Manages its own tenant: its tokens and its audit trail, plus everything an operator does.
    case tenantAdmin = "tenant-admin"
    /// Deploys and steers rollouts; in a site-provider tenant also runs hosts, upgrades and lockdowns.
    case `operator`
    /// Read-only (the service desk).
    case viewer

    /// Higher roles first: `platform-admin` < `viewer`.
    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One kind of thing a route or CLI verb does, checked against a ``Principal``.
public enum Permission: String, Codable, Sendable, CaseIterable {
    /// Read the fleet, apps, containers, probes and app logs (scoped to the tenant's own for
    /// application owners).
    case read
    /// Read host internals: runtime, OS and kernel logs, enrollment, upgrades, topology of hosts.
    case readInfrastructure
    /// Apply specs and steer rollouts of the tenant's own apps.
    case deploy
    /// Approve, reject and pre-register hosts; create enrollment tokens.
    case operateHosts
    /// Plan, start, pause, resume and abort infrastructure upgrades.
    case upgrade
    /// Lock a site down.
    case lockdown
    /// Unlock a site.
    case unlock
    /// Put, get, list and remove the tenant's own secrets (never another tenant's).
    case secrets
    /// Create, list and revoke the tenant's API tokens; read its audit trail.
    case manageTokens
    /// Create tenants and tokens in any tenant; verify the whole audit chain.
    case manageTenants
}
