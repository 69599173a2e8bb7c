import Crypto
import Foundation
import Logging
import MarqueeCore
import MarqueeTestSupport
import Synchronization
import Testing

@testable import MarqueeAgent

/// The site key's 2-of-n split among a theater's hosts: a restarted host rebuilds the key from its
/// own share and a peer's, without the tower; peers refuse hosts the tower does not vouch for.
@Suite struct SitePeerTests {
    static let siteID = EdgeVaultTests.siteID
    static let raw = EdgeVaultTests.siteKey.withUnsafeBytes { Data($0) }
    static let hosts = ["\(siteID)-h1", "\(siteID)-h2", "\(siteID)-h3"]

    static func share(_ index: Int, epoch: Int = 1) -> SiteKeyShare {
        SiteKeyShare(siteID: siteID, epoch: epoch, share: SiteKeyShares.share(of: raw, siteID: siteID, epoch: epoch, at: UInt8(index + 1)))
    }

    @Test func anyTwoSharesRebuildTheKeyAndAnyThirdShareOneAloneSaysNothing() throws {
        let shares = (0..<3).map { Self.share($0).share }
        for pair in [(0, 1), (0, 2), (1, 2)] {
            #expect(Data(try Shamir.combine([shares[pair.0], shares[pair.1]])) == Self.raw)
            let missing = 3 - pair.0 - pair.1
            #expect(try Shamir.interpolate([shares[pair.0], shares[pair.1]], at: UInt8(missing + 1)) == shares[missing].y)
        }
        // Another epoch lies on another line; a share is not the key.
        #expect(Self.share(0, epoch: 2).share.y != shares[0].y && Data(shares[0].y) != Self.raw)
        #expect(SiteKeyShares.x(for: "de-ber-001-h3") == 3 && SiteKeyShares.x(for: "edge") == nil && SiteKeyShares.x(for: "x-h0") == nil)
    }

    /// Three vaults wired to each other's `answer` as the peer listener would: h1 restarts, holds
    /// only its share from the desired state, and rebuilds the key without asking the tower.
    @Test func aRestartedHostRebuildsTheKeyFromItsShareAndAPeersWithoutTheTower() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-site-peers")
        defer { directory.remove() }
        let identities = try Self.hosts.map { try PeerIdentity(hostID: $0, credential: "mqh_\($0)") }
        let peers = identities.enumerated().map { index, identity in
            SitePeer(hostID: identity.hostID, x: UInt8(index + 1), endpoint: "http://peer\(index)", publicKey: identity.publicKey)
        }
        let vaults = Mutex<[String: EdgeVault]>([:])
        let unseals = Mutex(0)
        /// A vault whose peers are the other vaults (as the listener would answer), counting unseals.
        func vault(_ name: String) -> EdgeVault {
            EdgeVault(
                dataDirectory: directory.file(name), logger: Logger(label: "test"),
                askPeer: { peer, request in
                    guard let other = vaults.withLock({ $0[peer.hostID] }) else { throw PeerRefusal("unreachable") }
                    return try await other.answer(request)
                }
            ) {
                unseals.withLock { $0 += 1 }
                return SiteKeyGrant(siteID: Self.siteID, epoch: 1, key: Self.raw)
            }
        }
        for (index, identity) in identities.enumerated() {
            let member = vault("h\(index + 1)")
            await member.setIdentity(identity)
            await member.accept(peers: peers.filter { $0.hostID != identity.hostID }, keyShare: Self.share(index))
            vaults.withLock { $0[identity.hostID] = member }
        }
        let restarted = try #require(vaults.withLock { $0[Self.hosts[0]] })
        await restarted.accept(try EdgeVaultTests.bundle())
        let spec = ContainerSpec(name: "scan", image: "img", env: ["TOKEN": "${secret:platform/scanner/uplink-token}"])
        let (_, environment) = try await restarted.resolve(spec, tenantID: "mtc-platform")
        #expect(environment["TOKEN"] == "T0KEN")
        #expect(unseals.withLock { $0 } == 0)
        #expect(await restarted.holdsKey)

        // A host the tower no longer vouches for (revoked: gone from the peer lists) is refused, and
        // so is a request signed by another key or replayed an hour later.
        let h2 = try #require(vaults.withLock { $0[Self.hosts[1]] })
        let ephemeral = Curve25519.KeyAgreement.PrivateKey().publicKey.rawRepresentation
        var request = PeerShareRequest(
            siteID: Self.siteID, hostID: Self.hosts[0], epoch: 1, ephemeralKey: ephemeral, time: Int64(Date().timeIntervalSince1970))
        request.signature = try identities[0].signingKey.signature(for: request.signedBytes)
        #expect(try await h2.answer(request).hostID == Self.hosts[1])
        await #expect(throws: PeerRefusal.self) { try await h2.answer(request, now: Date().addingTimeInterval(3_600)) }
        var forged = request
        forged.signature = try identities[2].signingKey.signature(for: request.signedBytes)
        await #expect(throws: PeerRefusal.self) { try await h2.answer(forged) }
        await h2.accept(peers: peers.filter { $0.hostID == Self.hosts[2] }, keyShare: Self.share(1))
        await #expect(throws: PeerRefusal.self) { try await h2.answer(request) }

        // A lockdown: the desired state carries neither peers nor a share, and nothing is given out.
        let h3 = try #require(vaults.withLock { $0[Self.hosts[2]] })
        await h3.accept(peers: [], keyShare: nil)
        #expect(await !h3.holdsShare)
        var fromH2 = PeerShareRequest(
            siteID: Self.siteID, hostID: Self.hosts[1], epoch: 1, ephemeralKey: ephemeral, time: Int64(Date().timeIntervalSince1970))
        fromH2.signature = try identities[1].signingKey.signature(for: fromH2.signedBytes)
        await #expect(throws: PeerRefusal.self) { try await h3.answer(fromH2) }

        // With one peer refusing and the other gone, a restarted host falls back to the tower.
        let lonely = vault("h1b")
        await lonely.setIdentity(identities[0])
        await lonely.accept(peers: peers.filter { $0.hostID == Self.hosts[2] }, keyShare: nil)
        await lonely.accept(try EdgeVaultTests.bundle())
        _ = try await lonely.resolve(spec, tenantID: "mtc-platform")
        #expect(unseals.withLock { $0 } == 1)
    }
}
