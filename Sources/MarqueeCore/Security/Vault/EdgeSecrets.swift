import Crypto
import Foundation

/// One secret as it travels to an edge host and rests on its disk: sealed (AES-GCM) with its
/// tenant's key for the site, which is derived from the site key that only the running hosts'
/// memory holds.
public struct EdgeSecret: Codable, Sendable, Equatable {
    /// `VAULT/NAME`.
    public var path: String
    public var tenantID: String
    public var sealed: Data
    public var updatedAt: Date

    public init(path: String, tenantID: String, sealed: Data, updatedAt: Date) {
        self.path = path
        self.tenantID = tenantID
        self.sealed = sealed
        self.updatedAt = updatedAt
    }
}

/// The secrets a host's containers reference, as part of its desired state.
public struct EdgeSecretBundle: Codable, Sendable, Equatable {
    public var siteID: String
    /// The site key these are sealed with; an agent holding another epoch asks for the key again.
    public var keyEpoch: Int
    /// Set when the tower withholds secrets (the site is locked down): the agent purges its key
    /// and the sealed copies, and containers that need a secret do not start.
    public var withheld: String?
    public var items: [EdgeSecret]

    public init(siteID: String, keyEpoch: Int, withheld: String? = nil, items: [EdgeSecret]) {
        self.siteID = siteID
        self.keyEpoch = keyEpoch
        self.withheld = withheld
        self.items = items
    }
}

/// The site key, given by the tower to a host that cannot rebuild it from its peers (the whole
/// site was powered off). Never written to disk by the agent.
public struct SiteKeyGrant: Codable, Sendable, Equatable {
    public var siteID: String
    public var epoch: Int
    /// 32 bytes.
    public var key: Data
    /// This host's share of the key (``SiteKeyShares``), which it then gives peers that restart.
    public var share: Shamir.Share?

    public init(siteID: String, epoch: Int, key: Data, share: Shamir.Share? = nil) {
        self.siteID = siteID
        self.epoch = epoch
        self.key = key
        self.share = share
    }
}

/// A site key sealed with the master key, as the tower stores it.
public struct WrappedSiteKey: Sendable, Equatable {
    public var siteID: String
    public var epoch: Int
    public var wrapped: Data
    public var masterKeyID: String
    public var createdAt: Date
    /// A lockdown retired it: the next key handed out is a new epoch.
    public var retired: Bool

    public init(siteID: String, epoch: Int, wrapped: Data, masterKeyID: String, createdAt: Date, retired: Bool = false) {
        self.siteID = siteID
        self.epoch = epoch
        self.wrapped = wrapped
        self.masterKeyID = masterKeyID
        self.createdAt = createdAt
        self.retired = retired
    }
}

/// Sealing for secrets at the edge: a tenant's key at a site is HKDF-SHA256 of the site key
/// (salt: the site id, info: the tenant id), so one tenant's secrets never open with another's
/// key, and every value is bound to its site, tenant and path.
public enum EdgeSecretCipher {
    public static func tenantKey(siteKey: SymmetricKey, siteID: String, tenantID: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: siteKey, salt: Data(siteID.utf8), info: Data("marquee/edge-secrets/\(tenantID)".utf8), outputByteCount: 32)
    }

    static func binding(siteID: String, tenantID: String, path: String) -> String { "edge/\(siteID)/\(tenantID)/\(path)" }

    /// Seals `value` for `tenantID` at `siteID`.
    public static func seal(_ value: Data, path: String, tenantID: String, siteID: String, siteKey: SymmetricKey) throws(VaultError) -> Data {
        try SecretCipher.seal(
            value, key: tenantKey(siteKey: siteKey, siteID: siteID, tenantID: tenantID),
            binding: binding(siteID: siteID, tenantID: tenantID, path: path))
    }

    /// Opens a delivered secret with the site key.
    public static func open(_ secret: EdgeSecret, siteID: String, siteKey: SymmetricKey) throws(VaultError) -> Data {
        try SecretCipher.open(
            secret.sealed, key: tenantKey(siteKey: siteKey, siteID: siteID, tenantID: secret.tenantID),
            binding: binding(siteID: siteID, tenantID: secret.tenantID, path: secret.path))
    }
}

/// Storage for site keys (sealed with the master key).
public protocol SiteKeyStore: Sendable {
    func siteKey(siteID: String) async throws -> WrappedSiteKey?
    /// Stores `key` unless the site already has a key of the same or a later epoch; returns the
    /// site's key afterwards (so two towers' requests racing to create one agree on it).
    func saveSiteKey(_ key: WrappedSiteKey) async throws -> WrappedSiteKey
}
