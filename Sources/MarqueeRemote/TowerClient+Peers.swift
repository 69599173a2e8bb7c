import Foundation
import MarqueeCore

extension TowerClient {
    /// Tells the tower where this host's agent answers its peers and the key it signs with.
    public func registerPeer(credential: String, registration: PeerRegistration) async throws {
        _ = try await send("/v1/agent/peer", body: registration, bearer: credential)
    }

    /// Asks a peer (a client whose base URL is the peer's listener) for its share of the site key.
    public func askPeerForShare(_ request: PeerShareRequest) async throws -> PeerShareResponse {
        let (status, data) = try await send("/v1/peer/share", body: request, bearer: nil)
        return try decode(PeerShareResponse.self, from: data, path: "/v1/peer/share", status: status)
    }
}
