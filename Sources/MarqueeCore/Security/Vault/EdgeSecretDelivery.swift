import Crypto
import Foundation

/// Secrets from the tower to the edge: only to hosts running a container that references them,
/// only for that container's tenant and only when the secret is not limited to other apps; sealed
/// with the site key, which the tower gives out (`unseal`) only to enrolled, unrevoked hosts of
/// sites that are not locked down.
public struct EdgeSecretDelivery<Store: SecretStore & SiteKeyStore & InventoryReading>: Sendable {
    public let store: Store
    let master: MasterKey?
    let clock: any FleetClock

    /// - Parameter master: without one nothing is delivered (bundles say the vault is sealed).
    public init(store: Store, master: MasterKey?, clock: any FleetClock = SystemClock()) {
        self.store = store
        self.master = master
        self.clock = clock
    }

    /// The secrets `containers` on a host of `site` reference (nil when they reference none).
    public func bundle(site: Site, containers: [ContainerInstance], specs: [String: ContainerSpec]) async throws -> EdgeSecretBundle? {
        var wanted: [String: (tenantID: String, apps: Set<String>)] = [:]
        for container in containers {
            for reference in specs[container.id]?.secretReferences ?? [] {
                let path = "\(reference.vault)/\(reference.name)"
                if let existing = wanted[path], existing.tenantID != container.tenantID { continue }
                wanted[path, default: (container.tenantID, [])].apps.insert(container.app)
            }
        }
        guard !wanted.isEmpty else { return nil }
        if site.status == .lockedDown {
            return EdgeSecretBundle(siteID: site.id, keyEpoch: 0, withheld: "site \(site.id) is locked down: secrets are withheld", items: [])
        }
        guard let master else {
            return EdgeSecretBundle(siteID: site.id, keyEpoch: 0, withheld: "the tower's vault is sealed (no master key)", items: [])
        }
        var values: [(SecretInfo, Data)] = []
        var tenantKeys: [String: SymmetricKey] = [:]
        for (path, use) in wanted.sorted(by: { $0.key < $1.key }) {
            // Another tenant's secret, or one limited to other apps, is not delivered: the
            // container that names it fails to start, saying so.
            guard let (info, sealed) = try await store.secret(path: path), info.tenantID == use.tenantID,
                info.apps.isEmpty || !use.apps.isDisjoint(with: info.apps)
            else { continue }
            let tenantKey: SymmetricKey
            if let known = tenantKeys[info.tenantID] {
                tenantKey = known
            } else {
                guard let stored = try await store.tenantKey(tenantID: info.tenantID) else { continue }
                guard stored.masterKeyID == master.id else { throw VaultError.wrongMasterKey(loaded: master.id, expected: stored.masterKeyID) }
                tenantKey = try SecretCipher.unwrap(stored.wrapped, tenantID: info.tenantID, with: master)
                tenantKeys[info.tenantID] = tenantKey
            }
            values.append(
                (info, try SecretCipher.open(sealed, key: tenantKey, binding: SecretVault<Store>.binding(tenantID: info.tenantID, path: path))))
        }
        // A site gets a key only once it has something to open with it.
        guard !values.isEmpty else { return EdgeSecretBundle(siteID: site.id, keyEpoch: 0, items: []) }
        let (epoch, siteKey) = try await currentSiteKey(siteID: site.id, master: master)
        let items = try values.map { info, value in
            EdgeSecret(
                path: info.path, tenantID: info.tenantID,
                sealed: try EdgeSecretCipher.seal(value, path: info.path, tenantID: info.tenantID, siteID: site.id, siteKey: siteKey),
                updatedAt: info.updatedAt)
        }
        return EdgeSecretBundle(siteID: site.id, keyEpoch: epoch, items: items)
    }

    /// `host`'s share of its site's current key, for its desired state: nil when the site has no
    /// key yet (nothing to open), is locked down, or the host has no x coordinate. A share alone
    /// opens nothing; with one peer's share it rebuilds the key, without asking the tower for it.
    public func keyShare(host: EdgeHost, site: Site) async throws -> SiteKeyShare? {
        guard site.status != .lockedDown, let master, let x = SiteKeyShares.x(for: host.id),
            let stored = try await store.siteKey(siteID: site.id), !stored.retired, stored.masterKeyID == master.id
        else { return nil }
        let key = try SecretCipher.unwrap(stored.wrapped, tenantID: "site/\(site.id)", with: master).withUnsafeBytes { Data($0) }
        return SiteKeyShare(siteID: site.id, epoch: stored.epoch, share: SiteKeyShares.share(of: key, siteID: site.id, epoch: stored.epoch, at: x))
    }

    /// The site key for `host`, which could not rebuild it from its peers. Refused for a locked
    /// site; revoked hosts never get here (their credential no longer authenticates). Audited.
    public func unseal(host: EdgeHost) async throws -> SiteKeyGrant {
        let actor = "host \(host.id)"
        guard let site = try await store.site(id: host.siteID) else { throw LifecycleError.unknownSite(host.siteID) }
        guard site.status != .lockedDown else {
            try await store.appendAudit(
                AuditEntry(time: clock.now(), actor: actor, action: "denied secrets.unseal", target: site.id, reason: "site locked down"))
            throw LifecycleError.siteLockedDown(site.id)
        }
        guard let master else { throw VaultError.sealed }
        let (epoch, key) = try await currentSiteKey(siteID: site.id, master: master)
        try await store.appendAudit(AuditEntry(time: clock.now(), actor: actor, action: "secrets.unseal", target: site.id, reason: "epoch \(epoch)"))
        let raw = key.withUnsafeBytes { Data($0) }
        let share = SiteKeyShares.x(for: host.id).map { SiteKeyShares.share(of: raw, siteID: site.id, epoch: epoch, at: $0) }
        return SiteKeyGrant(siteID: site.id, epoch: epoch, key: raw, share: share)
    }

    /// The site's key, created on first use, and again as a new epoch after a lockdown retired it
    /// or when it was sealed with a master key that is no longer loaded (its secrets are then
    /// re-sealed and re-delivered).
    private func currentSiteKey(siteID: String, master: MasterKey) async throws -> (Int, SymmetricKey) {
        let stored = try await store.siteKey(siteID: siteID)
        if let stored, stored.masterKeyID == master.id, !stored.retired {
            return (stored.epoch, try SecretCipher.unwrap(stored.wrapped, tenantID: "site/\(siteID)", with: master))
        }
        let epoch = (stored?.epoch ?? 0) + 1
        let saved = try await store.saveSiteKey(try wrap(SymmetricKey(size: .bits256), siteID: siteID, epoch: epoch, master: master))
        guard saved.masterKeyID == master.id else { throw VaultError.wrongMasterKey(loaded: master.id, expected: saved.masterKeyID) }
        return (saved.epoch, try SecretCipher.unwrap(saved.wrapped, tenantID: "site/\(siteID)", with: master))
    }

    private func wrap(_ key: SymmetricKey, siteID: String, epoch: Int, master: MasterKey) throws -> WrappedSiteKey {
        WrappedSiteKey(
            siteID: siteID, epoch: epoch, wrapped: try SecretCipher.wrap(key, tenantID: "site/\(siteID)", with: master), masterKeyID: master.id,
            createdAt: clock.now())
    }
}
