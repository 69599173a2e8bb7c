import Foundation
import GRDB

extension SQLiteFleetStore {
    /// Writes hosts' log lines straight into the log store, outside their report streams (no batch,
    /// no sequence, no cursor moves): history written before the hosts report, such as the demo's
    /// backfill. The lines get the same references as reported ones (site, kernel, runtime, and the
    /// container's app, service and tenant). One transaction; hosts the store does not know are
    /// skipped, as at ingest. Only ``ReportRecord/Kind/log`` records are taken.
    /// - Returns: the lines written.
    @discardableResult
    public func importLogs(_ records: [String: [ReportRecord]]) async throws -> Int {
        try await write { db in
            var written = 0
            for hostID in records.keys.sorted() {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM host WHERE id = ?", arguments: [hostID]) == true else { continue }
                var ingest = LogIngest(hostID: hostID)
                for record in records[hostID] ?? [] {
                    guard let entry = record.log else { continue }
                    try ingest.insert(entry, at: record.time, db: db)
                    written += 1
                }
                try ingest.flush(db: db)
            }
            return written
        }
    }
}
