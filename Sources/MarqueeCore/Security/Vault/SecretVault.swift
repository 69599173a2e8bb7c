import Crypto
import Foundation

/// The tower's secrets vault: values sealed with AES-GCM under their tenant's data key, data keys
/// wrapped by the ``MasterKey`` (which the database never holds).
///
/// A vault belongs to the tenant that first writes to it; only operators and admins of that
/// tenant put, get, list or remove its secrets — a platform admin of the site provider cannot read
/// the vendor's. Every call is audited without the value.
public struct SecretVault<Store: SecretStore>: Sendable {
    public let store: Store
    let master: MasterKey?
    let clock: any FleetClock

    /// Values are at most this large.
    public static var maximumBytes: Int { 64 * 1024 }

    /// - Parameter master: `nil` leaves the vault sealed: every call answers ``VaultError/sealed``.
    public init(store: Store, master: MasterKey?, clock: any FleetClock = SystemClock()) {
        self.store = store
        self.master = master
        self.clock = clock
    }

    /// Stores `value` at `path` (`VAULT/NAME`), limited to `apps` when given.
    public func put(path: String, value: Data, apps: [String], by principal: Principal) async throws -> SecretInfo {
        let (vault, _) = try Self.split(path)
        try require(principal)
        guard !value.isEmpty else { throw VaultError.invalidValue("empty") }
        guard value.count <= Self.maximumBytes else { throw VaultError.invalidValue("\(value.count) bytes; at most \(Self.maximumBytes)") }
        for app in apps where !Self.isValidSegment(app) { throw VaultError.invalidValue("app '\(app)' is not an application name") }
        if let owner = try await store.vaultTenant(vault), owner != principal.tenantID {
            try await refuse("put", path, principal)
        }
        let key = try await dataKey(tenantID: principal.tenantID)
        let sealed = try SecretCipher.seal(value, key: key, binding: Self.binding(tenantID: principal.tenantID, path: path))
        let now = clock.now()
        let info = SecretInfo(
            path: path, tenantID: principal.tenantID, apps: apps.sorted(), bytes: value.count, updatedAt: now, updatedBy: principal.actor)
        try await store.saveSecret(
            info, sealed: sealed,
            audit: AuditEntry(
                time: now, actor: principal.actor, action: "secrets.put", target: path,
                reason: apps.isEmpty ? nil : "apps: \(apps.sorted().joined(separator: ","))"))
        return info
    }

    /// The value at `path` (audited).
    public func get(path: String, by principal: Principal) async throws -> Data {
        let (info, sealed) = try await owned(path, principal, "get")
        let value = try SecretCipher.open(
            sealed, key: try await dataKey(tenantID: info.tenantID), binding: Self.binding(tenantID: info.tenantID, path: path))
        try await store.appendAudit(AuditEntry(time: clock.now(), actor: principal.actor, action: "secrets.get", target: path))
        return value
    }

    /// The caller's tenant's secrets (in `vault` when given), never their values.
    public func list(vault: String?, by principal: Principal) async throws -> [SecretInfo] {
        try require(principal)
        return try await store.secrets(tenantID: principal.tenantID, vault: vault)
    }

    /// Removes the secret at `path`.
    public func remove(path: String, by principal: Principal) async throws -> SecretInfo {
        let (info, _) = try await owned(path, principal, "rm")
        _ = try await store.deleteSecret(path: path, audit: AuditEntry(time: clock.now(), actor: principal.actor, action: "secrets.rm", target: path))
        return info
    }

    /// Rewraps every tenant key with `next` (platform-admin). The caller then replaces the master
    /// key file; values are not touched.
    public func rotateMasterKey(to next: MasterKey, by principal: Principal) async throws -> Int {
        guard principal.allows(.manageTenants) else { throw SecurityError.forbidden(principal: principal.actor, permission: .manageTenants) }
        guard let master else { throw VaultError.sealed }
        var rewrapped: [WrappedTenantKey] = []
        for stored in try await store.tenantKeys() {
            guard stored.masterKeyID == master.id else { throw VaultError.wrongMasterKey(loaded: master.id, expected: stored.masterKeyID) }
            let key = try SecretCipher.unwrap(stored.wrapped, tenantID: stored.tenantID, with: master)
            rewrapped.append(
                WrappedTenantKey(
                    tenantID: stored.tenantID, wrapped: try SecretCipher.wrap(key, tenantID: stored.tenantID, with: next), masterKeyID: next.id))
        }
        try await store.rewrapTenantKeys(
            rewrapped,
            audit: AuditEntry(
                time: clock.now(), actor: principal.actor, action: "secrets.rotate-master-key", target: next.id, reason: "from \(master.id)"))
        return rewrapped.count
    }

    // MARK: - Helpers

    private func owned(_ path: String, _ principal: Principal, _ operation: String) async throws -> (SecretInfo, Data) {
        let (vault, _) = try Self.split(path)
        try require(principal)
        if let owner = try await store.vaultTenant(vault), owner != principal.tenantID {
            try await refuse(operation, path, principal)
        }
        guard let (info, sealed) = try await store.secret(path: path) else { throw VaultError.notFound(path) }
        return (info, sealed)
    }

    /// Records a cross-tenant attempt in the audit trail, then refuses it.
    private func refuse(_ operation: String, _ path: String, _ principal: Principal) async throws -> Never {
        try await store.appendAudit(AuditEntry(time: clock.now(), actor: principal.actor, action: "denied secrets.\(operation)", target: path))
        throw VaultError.otherTenantsVault(vault: String(path.prefix { $0 != "/" }), principal: principal.actor)
    }

    private func require(_ principal: Principal) throws {
        guard principal.allows(.secrets) else { throw SecurityError.forbidden(principal: principal.actor, permission: .secrets) }
        guard master != nil else { throw VaultError.sealed }
    }

    /// The tenant's data key, created (random, wrapped) on its first secret.
    private func dataKey(tenantID: String) async throws -> SymmetricKey {
        guard let master else { throw VaultError.sealed }
        let stored: WrappedTenantKey
        if let existing = try await store.tenantKey(tenantID: tenantID) {
            stored = existing
        } else {
            let fresh = SymmetricKey(size: .bits256)
            stored = try await store.saveTenantKey(
                WrappedTenantKey(tenantID: tenantID, wrapped: try SecretCipher.wrap(fresh, tenantID: tenantID, with: master), masterKeyID: master.id))
        }
        guard stored.masterKeyID == master.id else { throw VaultError.wrongMasterKey(loaded: master.id, expected: stored.masterKeyID) }
        return try SecretCipher.unwrap(stored.wrapped, tenantID: tenantID, with: master)
    }

    static func binding(tenantID: String, path: String) -> String { "secret/\(tenantID)/\(path)" }

    /// `VAULT/NAME` → its parts.
    static func split(_ path: String) throws(VaultError) -> (vault: String, name: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts.allSatisfy(isValidSegment) else { throw .invalidPath(path) }
        return (parts[0], parts[1])
    }

    static func isValidSegment(_ text: String) -> Bool {
        (1...64).contains(text.count)
            && text.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
            }
    }
}
