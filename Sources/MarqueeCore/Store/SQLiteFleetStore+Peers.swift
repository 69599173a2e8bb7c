import Foundation
import GRDB

extension SQLiteFleetStore: PeerDirectory {
    public func savePeer(hostID: String, registration: PeerRegistration, at time: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO hostPeer (hostID, endpoint, publicKey, updatedAt) VALUES (?, ?, ?, ?)",
                arguments: [hostID, registration.endpoint, registration.publicKey, time])
        }
    }

    public func peerRegistrations(siteID: String) async throws -> [String: PeerRegistration] {
        try await read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT p.hostID, p.endpoint, p.publicKey FROM hostPeer p JOIN host h ON h.id = p.hostID WHERE h.siteID = ?",
                arguments: [siteID])
            return Dictionary(
                uniqueKeysWithValues: rows.map { row in
                    (row["hostID"] as String, PeerRegistration(endpoint: row["endpoint"], publicKey: row["publicKey"]))
                })
        }
    }
}
