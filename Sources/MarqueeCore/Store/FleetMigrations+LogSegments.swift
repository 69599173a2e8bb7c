import GRDB

extension FleetMigrations {
    /// v20: the word index knows segments of 64 lines instead of whole chunks (`logSegmentText`,
    /// row id `chunkID << 14 | segment`), with chunk bodies in version 2 (a segment table), so a
    /// rare text reads a few KB of a chunk rather than all of it. Chunks stored before keep body
    /// version 1 and their rows in `logChunkText`; both are searched, and retention empties the old.
    static func registerLogSegments(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v20-log-segments") { db in
            try db.execute(
                sql: "CREATE VIRTUAL TABLE logSegmentText USING fts5(messages, content = '', tokenize = 'ascii', detail = 'none')")
        }
    }
}
