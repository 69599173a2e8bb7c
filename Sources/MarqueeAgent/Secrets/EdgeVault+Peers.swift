import Crypto
import Foundation
import Logging
import MarqueeCore

/// Who a host is to its peers: its id and an Ed25519 signing key.
///
/// The key is derived (HKDF-SHA256) from the host credential, so nothing more is kept on disk; a
/// disk holding the credential could sign as the host, which is why peers only answer hosts the
/// tower still vouches for (a revoked host drops out of every peer list).
public struct PeerIdentity: Sendable {
    public let hostID: String
    public let signingKey: Curve25519.Signing.PrivateKey

    public init(hostID: String, credential: String) throws {
        let seed = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Data(credential.utf8)), info: Data("marquee-peer-identity".utf8), outputByteCount: 32)
        self.hostID = hostID
        self.signingKey = try Curve25519.Signing.PrivateKey(rawRepresentation: seed.withUnsafeBytes { Data($0) })
    }

    /// The raw public key the tower hands to peers.
    public var publicKey: Data { signingKey.publicKey.rawRepresentation }
}

/// Why this host refused a peer's request for its share (a 403 to the peer).
public struct PeerRefusal: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// The site key's 2-of-n split among the theater's hosts: answering peers, and rebuilding the key
/// from two of them after a restart.
extension EdgeVault {
    /// The peers and this host's share from the latest desired state. The tower lists neither for
    /// a locked site (nor for a key it retired), so both are dropped from memory then.
    public func accept(peers: [SitePeer], keyShare: SiteKeyShare?) {
        self.peers = peers
        if share != keyShare, keyShare != nil || share != nil {
            logger.info(keyShare == nil ? "Share of the site key dropped" : "Share of the site key received (held in memory only)")
        }
        share = keyShare
    }

    /// Who this host is to its peers (once it has a credential).
    public func setIdentity(_ identity: PeerIdentity) {
        self.identity = identity
    }

    /// Whether this host holds a share of the site key (for status and tests).
    public var holdsShare: Bool { share != nil }

    /// A peer's request for this host's share: answered only for a host the tower vouches for, with
    /// a valid, fresh signature, for the epoch this host holds; the share travels sealed.
    public func answer(_ request: PeerShareRequest, now: Date = Date()) throws(PeerRefusal) -> PeerShareResponse {
        guard let identity else { throw PeerRefusal("this host has not enrolled yet") }
        if let withheld { throw PeerRefusal("this site's secrets are withheld: \(withheld)") }
        guard let peer = peers.first(where: { $0.hostID == request.hostID }) else {
            throw PeerRefusal("\(request.hostID) is not a peer the tower vouches for")
        }
        guard abs(now.timeIntervalSince1970 - Double(request.time)) <= 300 else { throw PeerRefusal("the request is not fresh") }
        guard let signer = try? Curve25519.Signing.PublicKey(rawRepresentation: peer.publicKey),
            signer.isValidSignature(request.signature, for: request.signedBytes)
        else { throw PeerRefusal("the request is not signed by \(request.hostID)") }
        guard let share, share.siteID == request.siteID, share.epoch == request.epoch else {
            throw PeerRefusal("no share of \(request.siteID) epoch \(request.epoch) here")
        }
        guard let theirs = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: request.ephemeralKey) else {
            throw PeerRefusal("the request's ephemeral key is not an X25519 key")
        }
        let mine = Curve25519.KeyAgreement.PrivateKey()
        do {
            let key = PeerShareResponse.sealingKey(
                secret: try mine.sharedSecretFromKeyAgreement(with: theirs), siteID: request.siteID, epoch: request.epoch,
                requester: request.hostID, responder: identity.hostID)
            var response = PeerShareResponse(
                hostID: identity.hostID, x: share.share.x, ephemeralKey: mine.publicKey.rawRepresentation,
                sealed: try ChaChaPoly.seal(Data(share.share.y), using: key).combined)
            response.signature = try identity.signingKey.signature(for: response.signedBytes(requestKey: request.ephemeralKey))
            logger.notice("Gave a peer this host's share of the site key", metadata: ["peer": "\(request.hostID)", "epoch": "\(request.epoch)"])
            return response
        } catch {
            throw PeerRefusal("cannot seal the share: \(error)")
        }
    }

    /// Asks every peer for its share; with two, rebuilds the key (checked against a delivered
    /// secret) and this host's own share. `nil` when fewer than two peers answer.
    func keyFromPeers(for bundle: EdgeSecretBundle) async -> SymmetricKey? {
        let own = share.map { $0.siteID == bundle.siteID && $0.epoch == bundle.keyEpoch } ?? false
        guard let identity, withheld == nil, let ownX = SiteKeyShares.x(for: identity.hostID),
            peers.count + (own ? 1 : 0) >= SiteKeyShares.threshold
        else { return nil }
        let ephemeral = Curve25519.KeyAgreement.PrivateKey()
        var request = PeerShareRequest(
            siteID: bundle.siteID, hostID: identity.hostID, epoch: bundle.keyEpoch, ephemeralKey: ephemeral.publicKey.rawRepresentation,
            time: Int64(Date().timeIntervalSince1970))
        guard let signature = try? identity.signingKey.signature(for: request.signedBytes) else { return nil }
        request.signature = signature
        let ask = askPeer
        let asked = peers
        let signed = request
        let answers = await withTaskGroup(of: (SitePeer, Result<PeerShareResponse, any Error>).self) { group in
            for peer in asked {
                group.addTask {
                    do { return (peer, .success(try await ask(peer, signed))) } catch { return (peer, .failure(error)) }
                }
            }
            var answers: [(SitePeer, Result<PeerShareResponse, any Error>)] = []
            for await answer in group { answers.append(answer) }
            return answers
        }
        // This host's own share counts: one peer's is then enough.
        var shares: [Shamir.Share] = []
        if let share, share.siteID == bundle.siteID, share.epoch == bundle.keyEpoch { shares.append(share.share) }
        for (peer, result) in answers {
            switch result {
            case .failure(let error):
                logger.info("A peer did not give its share", metadata: ["peer": "\(peer.hostID)", "error": "\(error)"])
            case .success(let response):
                guard let share = Self.open(response, from: peer, request: request, ephemeral: ephemeral, requester: identity.hostID) else {
                    logger.warning("A peer's answer did not verify; ignored", metadata: ["peer": "\(peer.hostID)"])
                    continue
                }
                shares.append(share)
            }
        }
        // The state may have moved while the peers answered (a lockdown, new secrets).
        guard shares.count >= SiteKeyShares.threshold, withheld == nil, self.bundle?.keyEpoch == bundle.keyEpoch,
            let raw = try? Shamir.combine(shares)
        else {
            if shares.count < SiteKeyShares.threshold {
                logger.info("Too few peers gave their share; asking the tower", metadata: ["shares": "\(shares.count)"])
            }
            return nil
        }
        let key = SymmetricKey(data: raw)
        if let item = bundle.items.first, (try? EdgeSecretCipher.open(item, siteID: bundle.siteID, siteKey: key)) == nil {
            logger.warning("The key rebuilt from peers' shares does not open this site's secrets; asking the tower")
            return nil
        }
        if let y = try? Shamir.interpolate(shares, at: ownX) {
            share = SiteKeyShare(siteID: bundle.siteID, epoch: bundle.keyEpoch, share: Shamir.Share(x: ownX, y: y))
        }
        (siteKey, keyEpoch) = (key, bundle.keyEpoch)
        logger.notice(
            "Site key rebuilt from shares, this host's and its peers' (held in memory only)",
            metadata: ["shares": "\(shares.count)", "site": "\(bundle.siteID)", "epoch": "\(bundle.keyEpoch)"])
        return key
    }

    /// The share in a peer's answer, if it is signed by that peer and opens with our ephemeral key.
    private static func open(
        _ response: PeerShareResponse, from peer: SitePeer, request: PeerShareRequest, ephemeral: Curve25519.KeyAgreement.PrivateKey,
        requester: String
    ) -> Shamir.Share? {
        guard response.hostID == peer.hostID, response.x == peer.x,
            let signer = try? Curve25519.Signing.PublicKey(rawRepresentation: peer.publicKey),
            signer.isValidSignature(response.signature, for: response.signedBytes(requestKey: request.ephemeralKey)),
            let theirs = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: response.ephemeralKey),
            let secret = try? ephemeral.sharedSecretFromKeyAgreement(with: theirs),
            let box = try? ChaChaPoly.SealedBox(combined: response.sealed)
        else { return nil }
        let key = PeerShareResponse.sealingKey(
            secret: secret, siteID: request.siteID, epoch: request.epoch, requester: requester, responder: peer.hostID)
        guard let y = try? ChaChaPoly.open(box, using: key), y.count == 32 else { return nil }
        return Shamir.Share(x: response.x, y: Array(y))
    }
}
