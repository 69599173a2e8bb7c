import Crypto
import Foundation
import Logging
import MarqueeCore
import MarqueeRemote

/// The agent's secrets: the sealed copies the tower delivered (kept on disk, useless without the
/// key) and the site key, which lives only in this process's memory.
///
/// A container that references `${secret:VAULT/NAME/KEY}` gets the value in its environment,
/// command or arguments when it starts; the key is fetched from the tower the first time it is
/// needed (`unseal`). A lockdown (the bundle says `withheld`), a refused credential or a refused
/// unseal purges the key and the sealed copies; containers that need a secret then fail to start
/// with the reason, and no value is ever logged.
public actor EdgeVault {
    var siteKey: SymmetricKey?
    var keyEpoch: Int?
    var bundle: EdgeSecretBundle?
    var withheld: String?
    /// This host's share of the site key (from its desired state, or with a key from the tower),
    /// given to peers that restart.
    var share: SiteKeyShare?
    /// The theater's other hosts, as the tower vouches for them in the latest desired state.
    var peers: [SitePeer] = []
    /// Who this host is to its peers: its id and signing key (set once it has a credential).
    var identity: PeerIdentity?
    private let file: URL
    private let unseal: @Sendable () async throws -> SiteKeyGrant
    /// Asks a peer for its share (``TowerClient/askPeerForShare(_:)`` on the peer's listener).
    let askPeer: @Sendable (SitePeer, PeerShareRequest) async throws -> PeerShareResponse
    let logger: Logger

    /// The file holding the sealed bundle in the data directory.
    public static let fileName = "secrets.sealed.json"

    /// - Parameters:
    ///   - unseal: asks the tower for the site key (``TowerClient/unseal(credential:)``).
    ///   - askPeer: asks a peer for its share; without it the key comes only from the tower.
    public init(
        dataDirectory: String, logger: Logger,
        askPeer: @escaping @Sendable (SitePeer, PeerShareRequest) async throws -> PeerShareResponse = { peer, _ in
            throw RuntimeError("no peer channel to \(peer.hostID)")
        },
        unseal: @escaping @Sendable () async throws -> SiteKeyGrant
    ) {
        self.file = URL(fileURLWithPath: dataDirectory).appendingPathComponent(Self.fileName)
        self.unseal = unseal
        self.askPeer = askPeer
        self.logger = logger
        // A restarted host keeps its sealed copies; it needs the key again before it can open them.
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        self.bundle = (try? Data(contentsOf: file)).flatMap { try? decoder.decode(EdgeSecretBundle.self, from: $0) }
    }

    /// Whether the site key is in memory (for status and tests).
    public var holdsKey: Bool { siteKey != nil }

    /// Takes the secrets of a new desired state.
    public func accept(_ next: EdgeSecretBundle?) {
        guard let next else {
            if bundle != nil { purge(reason: nil) }
            return
        }
        if let reason = next.withheld {
            if withheld != reason || siteKey != nil || bundle != nil {
                logger.warning("The tower withholds this site's secrets; key and sealed copies purged", metadata: ["reason": "\(reason)"])
            }
            purge(reason: reason)
            return
        }
        withheld = nil
        if keyEpoch != next.keyEpoch || bundle?.siteID != next.siteID { (siteKey, keyEpoch) = (nil, nil) }
        guard next != bundle else { return }
        bundle = next
        save(next)
    }

    /// Forgets the key and removes the sealed copies (lockdown, revoked credential).
    public func purge(reason: String?) {
        siteKey = nil
        keyEpoch = nil
        share = nil
        bundle = nil
        withheld = reason
        try? FileManager.default.removeItem(at: file)
    }

    /// `spec`'s command, arguments and environment with every secret reference replaced by its
    /// value, for a container of `tenantID`.
    public func resolve(_ spec: ContainerSpec, tenantID: String) async throws(RuntimeError) -> (arguments: [String], environment: [String: String]) {
        let references = spec.secretReferences
        guard !references.isEmpty else { return (spec.command + spec.args, spec.env) }
        if let withheld { throw RuntimeError("needs secrets, but \(withheld)") }
        guard let bundle else { throw RuntimeError("needs secrets that the tower has not delivered to this host yet") }
        let key = try await currentKey(for: bundle)
        var values: [String: String] = [:]
        for reference in Set(references) {
            let path = "\(reference.vault)/\(reference.name)"
            guard let item = bundle.items.first(where: { $0.path == path }), item.tenantID == tenantID else {
                throw RuntimeError(
                    "secret \(path) is not delivered to this host: it does not exist, belongs to another tenant, or is limited to other apps")
            }
            let value: Data
            do {
                value = try EdgeSecretCipher.open(item, siteID: bundle.siteID, siteKey: key)
            } catch {
                throw RuntimeError("secret \(path) does not open with this site's key (epoch \(bundle.keyEpoch))")
            }
            values["${secret:\(path)/\(reference.key)}"] = try Self.field(reference.key, of: value, path: path)
        }
        func substitute(_ text: String) -> String {
            guard text.contains("${secret:") else { return text }
            return values.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        }
        return ((spec.command + spec.args).map(substitute), spec.env.mapValues(substitute))
    }

    /// KEY of a secret: a field of a JSON object of strings, or `value` for the whole value.
    static func field(_ key: String, of value: Data, path: String) throws(RuntimeError) -> String {
        if let object = try? JSONSerialization.jsonObject(with: value) as? [String: Any] {
            guard let field = object[key] as? String else { throw RuntimeError("secret \(path) has no string field '\(key)'") }
            return field
        }
        guard key == "value" else {
            throw RuntimeError("secret \(path) is not a JSON object, so only ${secret:\(path)/value} (the whole value) can be used, not '\(key)'")
        }
        return String(decoding: value, as: UTF8.self)
    }

    /// The site key in memory, or the tower's answer to an unseal.
    private func currentKey(for bundle: EdgeSecretBundle) async throws(RuntimeError) -> SymmetricKey {
        if let siteKey, keyEpoch == bundle.keyEpoch { return siteKey }
        // Two peers' shares first: a restarted host does not need the tower for its key.
        if let key = await keyFromPeers(for: bundle) { return key }
        let grant: SiteKeyGrant
        do {
            grant = try await unseal()
        } catch {
            if error.deniesSecrets {
                purge(reason: "the tower refused the site key (\(error))")
                throw RuntimeError("needs secrets, but the tower refused the site key (\(error))")
            }
            throw RuntimeError("needs secrets, but the site key could not be fetched from the tower (\(error)); retrying")
        }
        guard grant.siteID == bundle.siteID, grant.epoch == bundle.keyEpoch, grant.key.count == 32 else {
            throw RuntimeError(
                "the site key from the tower (epoch \(grant.epoch)) does not match the delivered secrets (epoch \(bundle.keyEpoch)); waiting for new ones"
            )
        }
        let key = SymmetricKey(data: grant.key)
        (siteKey, keyEpoch) = (key, grant.epoch)
        if let own = grant.share { share = SiteKeyShare(siteID: grant.siteID, epoch: grant.epoch, share: own) }
        logger.notice("Site key received from the tower (held in memory only)", metadata: ["site": "\(grant.siteID)", "epoch": "\(grant.epoch)"])
        return key
    }

    private func save(_ bundle: EdgeSecretBundle) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(bundle) else { return }
        let temporary = file.appendingPathExtension("tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600]),
            rename(temporary.path, file.path) == 0
        else {
            logger.warning("Cannot keep the sealed secrets on disk; they are fetched again after a restart", metadata: ["path": "\(file.path)"])
            return
        }
    }
}

extension Error {
    /// The tower said no (locked site, revoked or unknown host), as opposed to being unreachable.
    fileprivate var deniesSecrets: Bool {
        if let remote = self as? RemoteError, case .api(let status, _) = remote { return status == 401 || status == 403 }
        return false
    }
}
