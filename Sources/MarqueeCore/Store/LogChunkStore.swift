import Foundation
import GRDB

/// Log chunks in SQLite: one row per chunk (``LogChunkBody``), its references for lookups
/// (`logChunkRef`: container, app, tenant), its words for text search (`logSegmentText`, FTS5,
/// contentless, `detail=none`: only which segments of 64 lines hold a word; `logSegmentSuffix`: the
/// sampled suffixes of their long words, ``LogWordSuffixes``; `logChunkText` holds whole chunks the
/// v18 migration made, body version 1) and its kernel/runtime message
/// patterns for "the same message elsewhere" (`logChunkPattern`). Every function runs inside the
/// caller's transaction.
enum LogChunkStore {
    /// What every line of a chunk shares: the reporting host and what the tower knew of it.
    struct Origin: Sendable, Equatable {
        var siteID: String
        var hostID: String
        var kernel: String
        var runtime: String
    }

    /// Reference kinds in `logChunkRef`.
    enum Reference: String, CaseIterable {
        case container, app, tenant
    }

    /// Stores a built chunk (with `id` when rewriting one); returns its id.
    @discardableResult
    static func insert(_ chunk: LogChunkBuilder, origin: Origin, id: Int64? = nil, db: Database) throws -> Int64 {
        precondition(chunk.count > 0)
        try db.cachedStatement(
            sql: """
                INSERT INTO logChunk (id, siteID, hostID, kernel, runtime, minTime, maxTime, lineCount, layers, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                id, origin.siteID, origin.hostID, origin.kernel, origin.runtime, chunk.minTime, chunk.maxTime, chunk.count, chunk.layers,
                Data(chunk.body()),
            ])
        let chunkID = id ?? db.lastInsertedRowID
        let reference = try db.cachedStatement(sql: "INSERT OR IGNORE INTO logChunkRef (kind, value, maxTime, chunkID) VALUES (?, ?, ?, ?)")
        for (kind, values) in [(Reference.container, chunk.containers), (.app, chunk.apps), (.tenant, chunk.tenants)] {
            for value in values { try reference.execute(arguments: [kind.rawValue, value, chunk.maxTime, chunkID]) }
        }
        let text = try db.cachedStatement(sql: "INSERT INTO logSegmentText (rowid, messages) VALUES (?, ?)")
        let suffixes = try db.cachedStatement(sql: "INSERT INTO logSegmentSuffix (rowid, suffixes) VALUES (?, ?)")
        for (segment, document) in chunk.documents.enumerated() {
            try text.execute(arguments: [segmentRowID(chunkID, segment), document])
            let suffixDocument = LogWordSuffixes.document(of: document)
            if !suffixDocument.isEmpty { try suffixes.execute(arguments: [segmentRowID(chunkID, segment), suffixDocument]) }
        }
        let pattern = try db.cachedStatement(
            sql: """
                INSERT INTO logChunkPattern (pattern, layer, chunkID, hostID, kernel, runtime, firstTime, lastTime)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (key, value) in chunk.patterns {
            try pattern.execute(
                arguments: [key, value.layer.rawValue, chunkID, origin.hostID, origin.kernel, origin.runtime, value.first, value.last])
        }
        return chunkID
    }

    /// Removes a chunk and everything derived from it.
    static func delete(_ chunkID: Int64, reader: LogChunkBody.Reader, db: Database) throws {
        if reader.version == 1 {
            try db.cachedStatement(sql: "INSERT INTO logChunkText (logChunkText, rowid, messages) VALUES ('delete', ?, ?)").execute(
                arguments: [chunkID, reader.documents.first ?? ""])
        } else {
            let text = try db.cachedStatement(sql: "INSERT INTO logSegmentText (logSegmentText, rowid, messages) VALUES ('delete', ?, ?)")
            let suffixes = try db.cachedStatement(sql: "INSERT INTO logSegmentSuffix (logSegmentSuffix, rowid, suffixes) VALUES ('delete', ?, ?)")
            for (segment, document) in reader.documents.enumerated() {
                try text.execute(arguments: [segmentRowID(chunkID, segment), document])
                // Version 2 bodies were stored before the suffix index.
                let suffixDocument = reader.version >= 3 ? LogWordSuffixes.document(of: document) : ""
                if !suffixDocument.isEmpty { try suffixes.execute(arguments: [segmentRowID(chunkID, segment), suffixDocument]) }
            }
        }
        for table in ["logChunkRef", "logChunkPattern"] {
            try db.cachedStatement(sql: "DELETE FROM \(table) WHERE chunkID = ?").execute(arguments: [chunkID])
        }
        try db.cachedStatement(sql: "DELETE FROM logChunk WHERE id = ?").execute(arguments: [chunkID])
    }

    /// Rewrites a chunk with only the lines `keep` accepts (their ids unchanged); returns how many
    /// lines went. A chunk left empty is deleted.
    static func trim(_ chunkID: Int64, keep: (LogChunkBody.Header) -> Bool, db: Database) throws -> Int {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM logChunk WHERE id = ?"), arguments: [chunkID]) else { return 0 }
        let reader = try LogChunkBody.Reader(Array(row["body"] as Data))
        let kept = reader.headers.filter(keep)
        guard kept.count < reader.headers.count else { return 0 }
        try delete(chunkID, reader: reader, db: db)
        if !kept.isEmpty {
            let origin = Origin(siteID: row["siteID"], hostID: row["hostID"], kernel: row["kernel"], runtime: row["runtime"])
            var chunk = LogChunkBuilder()
            for header in kept { chunk.append(reader.line(header)) }
            try insert(chunk, origin: origin, id: chunkID, db: db)
        }
        return reader.headers.count - kept.count
    }

    /// The word index's row id of a chunk's segment (`logSegmentText`).
    static func segmentRowID(_ chunkID: Int64, _ segment: Int) -> Int64 {
        chunkID << Int64(LogChunkBody.segmentBits) | Int64(segment)
    }

    static func layerBit(_ layer: LogLayer) -> Int {
        1 << LogChunkBody.layers.firstIndex(of: layer)!
    }

    /// The `logChunk.layers` mask of any of `layers`.
    static func layerMask(_ layers: some Sequence<LogLayer>) -> Int {
        layers.reduce(0) { $0 | layerBit($1) }
    }
}
