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

extension FleetMigrations {
    /// v22: the suffix index (``LogWordSuffixes``): `logSegmentSuffix`, beside `logSegmentText` with
    /// the same row ids, holds sampled suffixes of each segment's long words, so a lone fragment is
    /// found through an index. Chunks stored before (body version 2 or 1) have no rows there:
    /// `logSuffixIndexStart` keeps the first chunk id that has, and a fragment search reads every
    /// older chunk in its bounds until retention has removed them.
    static func registerLogWordSuffixes(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v22-log-word-suffixes") { db in
            try db.execute(
                sql: "CREATE VIRTUAL TABLE logSegmentSuffix USING fts5(suffixes, content = '', tokenize = 'ascii', detail = 'none')")
            // FTS5 merges its b-trees 4 at a time by default; 8 at a time writes each term fewer
            // times over (ingest: see docs/architecture.md) for a few more b-trees per lookup.
            for table in ["logSegmentText", "logSegmentSuffix"] {
                try db.execute(sql: "INSERT INTO \(table) (\(table), rank) VALUES ('automerge', 8)")
            }
            try db.execute(sql: "CREATE TABLE logSuffixIndexStart (firstChunkID INTEGER NOT NULL)")
            // Chunk ids are AUTOINCREMENT: every chunk stored from now on has a higher one.
            try db.execute(
                sql: """
                    INSERT INTO logSuffixIndexStart (firstChunkID)
                    SELECT coalesce((SELECT max(seq) FROM sqlite_sequence WHERE name = 'logChunk'), 0) + 1
                    """)
        }
    }
}
