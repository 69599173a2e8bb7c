import Foundation
import Hummingbird
import MarqueeCore

/// Site key peers: agents register their peer listener and signing key; each desired state lists
/// the theater's other hosts an agent may exchange key shares with.
extension AgentController {
    /// `POST /v1/agent/peer`: the agent's peer listener and its Ed25519 public key.
    func addPeerRoutes(to group: RouterGroup<TowerRequestContext>) {
        group.post("peer") { request, context in
            guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
                throw APIError(
                    .unauthorized, code: "auth.required", message: "send 'Authorization: Bearer <host credential>'", field: "Authorization")
            }
            let body: PeerRegistration = try await StrictJSON.decode(request, context: context, allowed: ["": ["endpoint", "publicKey"]])
            guard let url = URL(string: body.endpoint), url.scheme == "http" || url.scheme == "https", url.host != nil, url.port != nil else {
                throw APIError(.badRequest, code: "body.invalid", message: "endpoint must be http(s)://ADDRESS:PORT", field: "endpoint")
            }
            guard body.publicKey.count == 32 else {
                throw APIError(
                    .badRequest, code: "body.invalid", message: "publicKey must be a raw Ed25519 key (32 bytes, base64)", field: "publicKey")
            }
            do {
                let host = try await lifecycle.authenticatedHost(credential: String(header.dropFirst(7)))
                guard SiteKeyShares.x(for: host.id) != nil else {
                    throw APIError(
                        .unprocessableContent, code: "peer.unsupported", message: "host \(host.id) has no -hN suffix, so no share of the site key",
                        field: nil)
                }
                if try await lifecycle.store.peerRegistrations(siteID: host.siteID)[host.id] != body {
                    try await lifecycle.store.savePeer(hostID: host.id, registration: body, at: clock.now())
                    // Its peers learn the new listener or key with their next desired state.
                    let others = try await lifecycle.store.hosts(siteID: host.siteID, status: nil).map(\.id).filter { $0 != host.id }
                    _ = try await lifecycle.desiredStateChanged(hostIDs: others)
                }
                return Response(status: .noContent)
            } catch LifecycleError.invalidCredential {
                throw APIError(.unauthorized, code: "auth.invalid", message: LifecycleError.invalidCredential.description, field: "Authorization")
            } catch let error as LifecycleError {
                throw APIError(lifecycle: error)
            }
        }
    }

    /// The other hosts of `site` that `hostID` may exchange shares with: registered, not revoked
    /// or pending; nobody when the site is locked down.
    func peers(of hostID: String, at site: Site) async throws -> [SitePeer] {
        guard site.status != .lockedDown else { return [] }
        let registrations = try await lifecycle.store.peerRegistrations(siteID: site.id)
        guard registrations[hostID] != nil else { return [] }
        return try await lifecycle.store.hosts(siteID: site.id, status: nil)
            .filter { $0.id != hostID && $0.status != .revoked && $0.status != .pending }
            .compactMap { host in
                guard let registration = registrations[host.id], let x = SiteKeyShares.x(for: host.id) else { return nil }
                return SitePeer(hostID: host.id, x: x, endpoint: registration.endpoint, publicKey: registration.publicKey)
            }
            .sorted { $0.hostID < $1.hostID }
    }
}
