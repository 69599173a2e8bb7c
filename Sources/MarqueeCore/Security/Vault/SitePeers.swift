import Crypto
import Foundation

/// Another host of the same theater, as the tower vouches for it in a host's desired state: where
/// its agent answers peers and the key it signs with. Revoked hosts, and every host of a locked
/// site, are never listed, so peers stop sharing key material with them.
public struct SitePeer: Codable, Sendable, Equatable {
    public var hostID: String
    /// Its x coordinate in the site key's 2-of-n split.
    public var x: UInt8
    /// `http://ADDRESS:PORT` of its peer listener.
    public var endpoint: String
    /// Raw Ed25519 public key (32 bytes).
    public var publicKey: Data

    public init(hostID: String, x: UInt8, endpoint: String, publicKey: Data) {
        self.hostID = hostID
        self.x = x
        self.endpoint = endpoint
        self.publicKey = publicKey
    }
}

/// What an agent tells the tower about its peer listener (`POST /v1/agent/peer`).
public struct PeerRegistration: Codable, Sendable, Equatable {
    public var endpoint: String
    public var publicKey: Data

    public init(endpoint: String, publicKey: Data) {
        self.endpoint = endpoint
        self.publicKey = publicKey
    }
}

/// The site key split 2-of-n among a theater's hosts (``Shamir`` over GF(2⁸), degree 1).
///
/// The line's slope is derived from the key itself (HKDF-SHA256, salt the site id, info the epoch),
/// so the tower hands each host its share with the key, and a host that rebuilt the key from two
/// peers' shares computes its own again: every share of one epoch lies on one line. One share alone
/// says nothing about the key.
public enum SiteKeyShares {
    /// The split's threshold: a host rebuilds the key from two peers' shares.
    public static let threshold = 2

    /// A host's x coordinate: the number of its id's `-hN` suffix (1…255), else nil.
    public static func x(for hostID: String) -> UInt8? {
        guard let range = hostID.range(of: "-h", options: .backwards), let number = Int(hostID[range.upperBound...]),
            (1...255).contains(number)
        else { return nil }
        return UInt8(number)
    }

    /// The share at `x` of `key` (32 bytes) for `siteID`'s epoch `epoch`.
    public static func share(of key: Data, siteID: String, epoch: Int, at x: UInt8) -> Shamir.Share {
        let slope = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: key), salt: Data(siteID.utf8), info: Data("marquee-site-key-share/\(epoch)".utf8),
            outputByteCount: key.count
        ).withUnsafeBytes { Array($0) }
        return Shamir.Share(x: x, y: zip(key, slope).map { Shamir.evaluate([$0, $1], at: x) })
    }
}

/// A host's own share of its site's key, as its desired state carries it.
public struct SiteKeyShare: Codable, Sendable, Equatable {
    public var siteID: String
    public var epoch: Int
    public var share: Shamir.Share

    public init(siteID: String, epoch: Int, share: Shamir.Share) {
        self.siteID = siteID
        self.epoch = epoch
        self.share = share
    }
}

/// A host asking a peer for its share (`POST /v1/peer/share` on the peer's listener).
///
/// Signed with the asking host's Ed25519 key (the tower vouches for it in the peer's list), fresh
/// within five minutes, and carrying an ephemeral X25519 key: the share comes back sealed to it.
public struct PeerShareRequest: Codable, Sendable, Equatable {
    public var siteID: String
    public var hostID: String
    public var epoch: Int
    public var ephemeralKey: Data
    /// Unix seconds.
    public var time: Int64
    public var signature: Data

    public init(siteID: String, hostID: String, epoch: Int, ephemeralKey: Data, time: Int64, signature: Data = Data()) {
        self.siteID = siteID
        self.hostID = hostID
        self.epoch = epoch
        self.ephemeralKey = ephemeralKey
        self.time = time
        self.signature = signature
    }

    /// The bytes the signature covers.
    public var signedBytes: Data { Data("marquee-peer-request|\(siteID)|\(hostID)|\(epoch)|\(time)|".utf8) + ephemeralKey }
}

/// A peer's answer: its share, sealed (ChaCha20-Poly1305) with a key agreed between the two
/// ephemeral keys, signed by the answering host.
public struct PeerShareResponse: Codable, Sendable, Equatable {
    public var hostID: String
    public var x: UInt8
    public var ephemeralKey: Data
    public var sealed: Data
    public var signature: Data

    public init(hostID: String, x: UInt8, ephemeralKey: Data, sealed: Data, signature: Data = Data()) {
        self.hostID = hostID
        self.x = x
        self.ephemeralKey = ephemeralKey
        self.sealed = sealed
        self.signature = signature
    }

    /// The bytes the signature covers: binds the answer to the request's ephemeral key.
    public func signedBytes(requestKey: Data) -> Data {
        Data("marquee-peer-response|\(hostID)|\(x)|".utf8) + ephemeralKey + sealed + requestKey
    }

    /// The key both sides derive for the share from their ephemeral keys.
    public static func sealingKey(
        secret: SharedSecret, siteID: String, epoch: Int, requester: String, responder: String
    ) -> SymmetricKey {
        secret.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: Data(siteID.utf8), sharedInfo: Data("marquee-peer-share|\(epoch)|\(requester)|\(responder)".utf8),
            outputByteCount: 32)
    }
}

/// Where the tower keeps hosts' peer registrations.
public protocol PeerDirectory: Sendable {
    /// Records (replaces) `hostID`'s peer listener and key.
    func savePeer(hostID: String, registration: PeerRegistration, at time: Date) async throws
    /// The registrations of `siteID`'s hosts, by host id.
    func peerRegistrations(siteID: String) async throws -> [String: PeerRegistration]
}
