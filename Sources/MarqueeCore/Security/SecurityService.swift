import Foundation

/// Tenants, API tokens and the audit trail, with the policy of ``Principal`` applied to every call.
///
/// Callers pass who is acting: the tower passes the principal of the request's token; the CLI on
/// a local database passes ``Principal/bootstrapAdmin(tenantID:)`` (whoever can open the database
/// file can already do anything).
public struct SecurityService<Store: SecurityStore>: Sendable {
    public let store: Store
    let clock: any FleetClock
    /// Wakes the agents of hosts whose desired state changed (a lockdown or unlock).
    let desiredStateChanged: @Sendable ([String]) async throws -> Void

    public init(
        store: Store, clock: any FleetClock = SystemClock(), desiredStateChanged: @escaping @Sendable ([String]) async throws -> Void = { _ in }
    ) {
        self.store = store
        self.clock = clock
        self.desiredStateChanged = desiredStateChanged
    }

    /// Locks a site down at once: new deployments and upgrades skip it and running ones freeze
    /// there, its outstanding enrollment tokens are deleted, no host enrolls there, and its agents
    /// are told (they stop `sensitive` apps). Needs a reason.
    public func lockdown(siteID: String, reason: String, by principal: Principal) async throws -> SiteLockdownChange {
        try require(.lockdown, principal)
        return try await setLockdown(siteID: siteID, locked: true, reason: reason, by: principal)
    }

    /// Unlocks a site (platform-admin only). Needs a reason.
    public func unlock(siteID: String, reason: String, by principal: Principal) async throws -> SiteLockdownChange {
        try require(.unlock, principal)
        return try await setLockdown(siteID: siteID, locked: false, reason: reason, by: principal)
    }

    /// The change, its event and audit record in one transaction; then the site's agents are told.
    private func setLockdown(siteID: String, locked: Bool, reason: String, by principal: Principal) async throws -> SiteLockdownChange {
        let reason = try Self.reason(reason)
        let now = clock.now()
        let action = locked ? "site.lockdown" : "site.unlock"
        let change = try await store.setLockdown(
            siteID: siteID, locked: locked,
            event: Event(
                time: now, kind: action, severity: locked ? .critical : .notice, subject: "site/\(siteID)",
                message: "\(siteID) \(locked ? "locked down" : "unlocked") by \(principal.actor): \(reason)", actor: principal.actor),
            audit: AuditEntry(time: now, actor: principal.actor, action: action, target: siteID, reason: reason))
        try await desiredStateChanged(change.hostIDs)
        return change
    }

    /// Revokes a host (stolen, compromised): its credential stops working on its next call and it
    /// cannot come back without a new enrollment. Needs a reason.
    public func revokeHost(hostID: String, reason: String, by principal: Principal) async throws -> EdgeHost {
        try require(.lockdown, principal)
        let reason = try Self.reason(reason)
        let now = clock.now()
        return try await store.revokeHost(
            id: hostID,
            event: Event(
                time: now, kind: "host.revoked", severity: .critical, subject: "host/\(hostID)",
                message: "\(hostID) revoked by \(principal.actor): \(reason)", actor: principal.actor),
            audit: AuditEntry(time: now, actor: principal.actor, action: "host.revoke", target: hostID, reason: reason))
    }

    private static func reason(_ text: String) throws -> String {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else {
            throw SecurityError.invalidParameter(name: "reason", reason: "say why (it is kept in the event and the audit trail)")
        }
        return reason
    }

    /// The principal of a bearer secret, or `nil` when no valid token has it (unknown, expired or
    /// revoked — the caller answers 401 without saying which).
    public func authenticate(secret: String) async throws -> Principal? {
        guard secret.hasPrefix("mqt_"), let token = try await store.token(secretHash: Secret.hash(secret)),
            token.isValid(at: clock.now())
        else { return nil }
        guard let tenant = try await store.tenants().first(where: { $0.id == token.tenantID }) else { return nil }
        return Principal(tokenID: token.id, name: token.name, tenantID: tenant.id, tenantKind: tenant.kind, role: token.role)
    }

    /// Every tenant (any role may list them: names are not secret inside the platform).
    public func tenants() async throws -> [Tenant] { try await store.tenants() }

    /// Creates a tenant (platform-admin only).
    public func createTenant(_ tenant: Tenant, by principal: Principal) async throws -> Tenant {
        try require(.manageTenants, principal)
        guard Self.isValidTenantID(tenant.id) else { throw SecurityError.invalidTenantID(tenant.id) }
        guard !tenant.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SecurityError.invalidParameter(name: "name", reason: "must not be empty")
        }
        try await store.createTenant(
            tenant,
            audit: AuditEntry(time: clock.now(), actor: principal.actor, action: "tenants.create", target: tenant.id, reason: tenant.kind.rawValue))
        return tenant
    }

    /// Creates a token for `tenantID` with `role`, valid for `ttl`; the secret is returned once.
    ///
    /// A tenant admin may create tokens only in its own tenant and never above its own role.
    public func createToken(tenantID: String, role: Role, name: String, ttl: Duration, by principal: Principal) async throws -> IssuedToken {
        try require(.manageTokens, principal)
        try requireSameTenant(tenantID, principal)
        guard role >= principal.role else { throw SecurityError.forbidden(principal: principal.actor, permission: .manageTenants) }
        guard let tenant = try await store.tenants().first(where: { $0.id == tenantID }) else { throw SecurityError.unknownTenant(tenantID) }
        guard Principal.allows(role: role, kind: tenant.kind, .read) else { throw SecurityError.roleNotAllowed(role: role, kind: tenant.kind) }
        let seconds = Double(ttl.components.seconds)
        guard seconds >= 60, seconds <= 400 * 86_400 else {
            throw SecurityError.invalidParameter(name: "ttl", reason: "must be between 1 minute and 400 days")
        }
        let label = name.trimmingCharacters(in: .whitespaces)
        guard !label.isEmpty, label.count <= 64 else { throw SecurityError.invalidParameter(name: "name", reason: "must be 1–64 characters") }
        let now = clock.now()
        let secret = Secret.generate(prefix: "mqt_")
        let token = APIToken(
            id: "tok_" + Secret.hash(secret).prefix(12), name: label, tenantID: tenantID, role: role, createdAt: now,
            expiresAt: now.addingTimeInterval(seconds), createdBy: principal.actor)
        try await store.saveToken(
            token, secretHash: Secret.hash(secret),
            audit: AuditEntry(
                time: now, actor: principal.actor, action: "tokens.create", target: token.id, reason: "\(role.rawValue)@\(tenantID) \(label)"))
        return IssuedToken(token: token, secret: secret)
    }

    /// Tokens the caller may see: its own tenant's, or every tenant's for a platform admin.
    public func tokens(tenantID: String?, by principal: Principal) async throws -> [APIToken] {
        try require(.manageTokens, principal)
        if principal.allows(.manageTenants) { return try await store.tokens(tenantID: tenantID) }
        if let tenantID { try requireSameTenant(tenantID, principal) }
        return try await store.tokens(tenantID: principal.tenantID)
    }

    /// Revokes a token at once: its next request is a 401.
    public func revokeToken(id: String, reason: String?, by principal: Principal) async throws -> APIToken {
        try require(.manageTokens, principal)
        guard let token = try await store.token(id: id) else { throw SecurityError.unknownToken(id) }
        try requireSameTenant(token.tenantID, principal)
        try await store.revokeToken(
            id: id, at: clock.now(), audit: AuditEntry(time: clock.now(), actor: principal.actor, action: "tokens.revoke", target: id, reason: reason)
        )
        return try await store.token(id: id) ?? token
    }

    /// Audit records after `sequence`, oldest first (tenant admins see their tenant's actors only).
    public func auditRecords(after sequence: Int64, limit: Int, by principal: Principal) async throws -> [AuditRecord] {
        try require(.manageTokens, principal)
        guard (1...10_000).contains(limit) else { throw SecurityError.invalidParameter(name: "limit", reason: "must be 1…10000") }
        let records = try await store.auditRecords(after: sequence, limit: limit)
        if principal.allows(.manageTenants) { return records }
        return records.filter { $0.actor.hasSuffix("@\(principal.tenantID))") }
    }

    /// Verifies the whole chain (platform-admin only: it reads every tenant's records).
    public func verifyAudit(expectedHead: String?, by principal: Principal) async throws -> AuditChain.Verification {
        try require(.manageTenants, principal)
        var records: [AuditRecord] = []
        while true {
            let page = try await store.auditRecords(after: records.last?.sequence ?? 0, limit: 10_000)
            records += page
            if page.count < 10_000 { break }
        }
        return AuditChain.verify(records, expectedHead: expectedHead)
    }

    /// Appends one record (the tower's record of an API write).
    public func record(_ entry: AuditEntry) async throws { try await store.appendAudit(entry) }

    func require(_ permission: Permission, _ principal: Principal) throws {
        guard principal.allows(permission) else { throw SecurityError.forbidden(principal: principal.actor, permission: permission) }
    }

    private func requireSameTenant(_ tenantID: String, _ principal: Principal) throws {
        guard principal.allows(.manageTenants) || tenantID == principal.tenantID else {
            throw SecurityError.otherTenant(principal: principal.actor, tenant: tenantID)
        }
    }

    static func isValidTenantID(_ id: String) -> Bool {
        guard (2...40).contains(id.count), let first = id.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
