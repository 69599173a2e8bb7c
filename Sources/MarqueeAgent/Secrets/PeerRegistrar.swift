import Foundation
import Logging
import MarqueeCore
import MarqueeRemote

/// Once the agent has a credential: its peer identity in the vault, and its listener and public
/// key at the tower (which lists them to the theater's other hosts).
public enum PeerRegistrar {
    /// Waits for enrollment (the credential and host id in the data directory), then registers,
    /// retrying until the tower takes it.
    public static func register(
        endpoint: String, vault: EdgeVault, tower: TowerClient, credentials: any CredentialStore, dataDirectory: String, logger: Logger
    ) async throws {
        while !Task.isCancelled {
            if let credential = credentials.load(),
                let hostID = (try? String(contentsOfFile: "\(dataDirectory)/host-id", encoding: .utf8))?.trimmingCharacters(
                    in: .whitespacesAndNewlines),
                !hostID.isEmpty
            {
                do {
                    let identity = try PeerIdentity(hostID: hostID, credential: credential)
                    await vault.setIdentity(identity)
                    try await tower.registerPeer(
                        credential: credential, registration: PeerRegistration(endpoint: endpoint, publicKey: identity.publicKey))
                    logger.notice("Peer listener registered with the tower", metadata: ["endpoint": "\(endpoint)"])
                    return
                } catch {
                    logger.warning("Cannot register the peer listener yet", metadata: ["error": "\(error)"])
                }
            }
            try await Task.sleep(for: .seconds(2))
        }
    }
}
