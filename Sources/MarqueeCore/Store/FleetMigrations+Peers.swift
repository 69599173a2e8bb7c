import Foundation
import GRDB

extension FleetMigrations {
    /// v19: where each host's agent answers its peers and the key it signs with.
    static func registerPeers(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v19-host-peers") { db in
            try db.execute(
                sql: """
                    CREATE TABLE hostPeer (
                        hostID TEXT PRIMARY KEY NOT NULL REFERENCES host(id) ON DELETE CASCADE,
                        endpoint TEXT NOT NULL,
                        publicKey BLOB NOT NULL,
                        updatedAt REAL NOT NULL
                    )
                    """)
        }
    }
}
