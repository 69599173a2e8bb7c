import Foundation
import GRDB

extension FleetMigrations {
    /// v21: `host_lastSeen` (status, lastSeen) goes. Every heartbeat moved each host's entry in it
    /// (a delete on a scattered page and an insert), one more page to log per heartbeat, for a
    /// query that runs once a heartbeat interval: the offline sweep now reads the `host` table
    /// (10,000 hosts in about 2 ms every 10 s, through `host_on_status`).
    static func registerHeartbeatIndexes(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v21-heartbeat-indexes") { db in
            try db.execute(sql: "DROP INDEX IF EXISTS host_lastSeen")
        }
    }
}
