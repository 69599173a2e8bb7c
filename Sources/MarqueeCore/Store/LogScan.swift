import Foundation
import GRDB

/// One read of the chunked log store: which chunks SQL narrows to, the test every line of them
/// must pass, and how many lines to return.
///
/// Chunks come newest first (by their newest line) and reading stops once `limit` lines are in hand
/// and the next chunk holds nothing newer than the oldest of them; when following (`afterID`) they
/// come in id order and reading stops at `limit`.
struct LogScan {
    var siteID: String?
    var hostID: String?
    var container: String?
    var app: String?
    var tenant: String?
    var layers: Set<LogLayer>?
    var minimumSeverity: LogSeverity?
    var since: Double?
    var until: Double?
    /// `until` is part of the range (a correlation window) rather than its end.
    var untilIncluded = false
    var afterID: Int64?
    var text: LogTextSearch?
    var limit: Int

    init(_ query: LogQuery) {
        siteID = query.siteID
        hostID = query.hostID
        container = query.container
        app = query.app
        tenant = query.tenant
        layers = query.layers.map(Set.init)
        minimumSeverity = query.minimumSeverity
        since = query.since?.timeIntervalSince1970
        until = query.until?.timeIntervalSince1970
        afterID = query.afterID
        text = query.text.map(LogTextSearch.init)
        limit = query.limit
    }

    init(limit: Int) {
        self.limit = limit
    }

    /// The lines, newest first (oldest first when following).
    func run(_ db: Database) throws -> [LogLine] {
        var clauses: [String] = []
        var arguments = StatementArguments()
        func add(_ clause: String, _ values: [(any DatabaseValueConvertible)?]) {
            clauses.append(clause)
            for value in values { arguments += [value] }
        }
        // The most selective reference drives the read (its index is in time order).
        var from = "logChunk c"
        var newestFirst = "c.maxTime DESC"
        if let (kind, value) = [(LogChunkStore.Reference.container, container), (.app, app), (.tenant, tenant)].first(where: { $0.1 != nil }) {
            from = "logChunkRef r JOIN logChunk c ON c.id = r.chunkID"
            newestFirst = "r.maxTime DESC"
            add("r.kind = ? AND r.value = ?", [kind.rawValue, value])
            if let since { add("r.maxTime >= ?", [since]) }
            if let until { add("r.maxTime < ?", [until + LogChunkBody.timeSpan]) }
        }
        if let siteID { add("c.siteID = ?", [siteID]) }
        if let hostID { add("c.hostID = ?", [hostID]) }
        if let layers { add("(c.layers & ?) != 0", [LogChunkStore.layerMask(layers)]) }
        if let since { add("c.maxTime >= ?", [since]) }
        if let until {
            // A chunk spans less than `timeSpan`: the bound on maxTime keeps the index range closed.
            add("c.maxTime < ?", [until + LogChunkBody.timeSpan])
            add(untilIncluded ? "c.minTime <= ?" : "c.minTime < ?", [until])
        }
        if let afterID { add("c.id >= ?", [afterID >> LogChunkBody.indexBits]) }
        var walk = Walk()
        var segments: [Int64: [Int]] = [:]
        if let text, let expression = text.indexExpression {
            var listed = false
            // The word index answers which segments of 64 lines (chunks of the v18 migration: which
            // chunks) can hold the text. Few of them (a rare id): read just those, in order, and of
            // each chunk only its head and those segments.
            let chunks = try db.cachedStatement(sql: "SELECT rowid FROM logChunkText WHERE logChunkText MATCH ? LIMIT ?").int64Column(
                [expression, fewCandidates + 1], db: db)
            if let rows = try rareSegments(db, text.indexTerms), chunks.count <= fewCandidates {
                if chunks.isEmpty, rows.isEmpty { return [] }
                segments = Self.segmentsByChunk(rows)
                if chunks.count + segments.count <= fewCandidates {
                    add("c.id IN (SELECT value FROM json_each(?))", [Self.idList(chunks + segments.keys)])
                    listed = true
                } else {
                    segments = [:]
                }
            }
            if !listed {
                // Many (a common message): it is in the newest chunks, so read a few of them first;
                // then walk the ordered chunks and skip those without the words, so the newest
                // matches come first and reading stops early.
                if afterID == nil {
                    try read(db, clauses: clauses, arguments: arguments, from: from, order: newestFirst, chunks: chunksBeforeIndex, into: &walk)
                    if walk.done { return walk.result(limit: limit, newestFirst: true) }
                }
                // `+` keeps SQLite from driving the read by this list: the ordered index drives it.
                add(
                    """
                    +c.id IN (SELECT rowid FROM logChunkText WHERE logChunkText MATCH ?
                    UNION ALL SELECT rowid >> \(LogChunkBody.segmentBits) FROM logSegmentText WHERE logSegmentText MATCH ?)
                    """, [expression, expression])
            }
        } else if let text, let fragment = text.indexFragment, afterID == nil {
            // A lone fragment: a common one (`throttl`) is in the newest chunks; a rare one (an id
            // without its `req=`) is looked up as a word start and in the suffix index.
            try read(db, clauses: clauses, arguments: arguments, from: from, order: newestFirst, chunks: chunksBeforeIndex, into: &walk)
            if walk.done { return walk.result(limit: limit, newestFirst: true) }
            if let rows = try fragmentSegments(db, fragment) {
                segments = Self.segmentsByChunk(rows)
                if segments.count <= fewCandidates {
                    let list = Self.idList(segments.keys)
                    // Chunks stored before the suffix index have no rows in it: read them whole
                    // (the word index may name some of their segments, but not all that can match).
                    if let start = try unsuffixedBefore(db) {
                        segments = segments.filter { $0.key >= start }
                        add("(c.id IN (SELECT value FROM json_each(?)) OR c.id < ?)", [list, start])
                    } else {
                        add("c.id IN (SELECT value FROM json_each(?))", [list])
                    }
                } else {
                    segments = [:]
                }
            }
        }
        try read(
            db, clauses: clauses, arguments: arguments, from: from, order: afterID == nil ? newestFirst : "c.id ASC", chunks: nil,
            segments: segments, into: &walk)
        return walk.result(limit: limit, newestFirst: afterID == nil)
    }

    /// What a read has collected so far, across the reads of one scan.
    private struct Walk {
        var lines: [LogLine] = []
        var oldestKept = -Double.infinity
        /// Chunks already read (the ones before the word index was asked).
        var read: Set<Int64> = []
        /// No later chunk can change the answer.
        var done = false

        func result(limit: Int, newestFirst: Bool) -> [LogLine] {
            Array((newestFirst ? lines.sorted(by: LogScan.newerFirst) : lines).prefix(limit))
        }
    }

    /// Reads chunks in `order` (at most `chunks` of them) into `walk` until it is done; of a chunk
    /// in `segments`, only those segments.
    private func read(
        _ db: Database, clauses: [String], arguments: StatementArguments, from: String, order: String, chunks: Int?,
        segments: [Int64: [Int]] = [:], into walk: inout Walk
    ) throws {
        // Chunk headers only: bodies are read one at a time, and only for chunks that are used.
        let sql = """
            SELECT c.id, c.maxTime, c.siteID, c.hostID, c.kernel, c.runtime FROM \(from)
            \(clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")) ORDER BY \(order)\(chunks.map { " LIMIT \($0)" } ?? "")
            """
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        let chunk = try db.cachedStatement(sql: "SELECT id, siteID, hostID, kernel, runtime, body FROM logChunk WHERE id = ?")
        let blob = segments.isEmpty ? nil : LogChunkBlob(db)
        defer { blob?.close() }
        var count = 0
        while let row = try rows.next() {
            count += 1
            if afterID == nil, walk.lines.count >= limit, row[1] < walk.oldestKept {
                walk.done = true
                return
            }
            let id: Int64 = row[0]
            guard walk.read.insert(id).inserted else { continue }
            if let blob, let wanted = segments[id] {
                let origin = Origin(chunkID: id, siteID: row[2], hostID: row[3], kernel: row[4], runtime: row[5])
                try collect(origin, segments: wanted, blob: blob, into: &walk.lines)
            } else {
                // A cursor's row reads the body where SQLite holds it, without a copy, while the cursor lives.
                let cursor = try Row.fetchCursor(chunk, arguments: [id])
                try withExtendedLifetime(cursor) {
                    if let stored = try cursor.next() { try collect(stored, into: &walk.lines) }
                }
            }
            if afterID != nil {
                if walk.lines.count >= limit {
                    walk.done = true
                    return
                }
            } else if walk.lines.count >= limit {
                // The newest `limit` by their (time, id) alone: sorting the lines themselves moves
                // big values, once per chunk read.
                let cut = walk.lines.map { ($0.time.timeIntervalSince1970, $0.id) }.sorted(by: >)[limit - 1]
                if walk.lines.count > limit { walk.lines.removeAll { ($0.time.timeIntervalSince1970, $0.id) < cut } }
                walk.oldestKept = cut.0
            }
        }
        // Every chunk in bounds was read.
        if chunks == nil || count < chunks! { walk.done = true }
    }

    /// Chunks read newest first before the word index is asked.
    var chunksBeforeIndex = 16

    /// Up to this many chunks from the word index are read by id; more, by walking the ordered chunks.
    var fewCandidates = 1_024
    /// Up to this many segments from the word index are read one by one; more, by walking the ordered chunks.
    var fewSegments = 4_096
    /// Each word's first look at the word index reads this many of its segments (``rareSegments(_:_:)``).
    var firstLook = 256

    static func newerFirst(_ a: LogLine, _ b: LogLine) -> Bool {
        (a.time, a.id) > (b.time, b.id)
    }

    /// Appends the chunk's lines that pass every line-level test.
    private func collect(_ row: Row, into lines: inout [LogLine]) throws {
        let origin = Origin(chunkID: row["id"], siteID: row["siteID"], hostID: row["hostID"], kernel: row["kernel"], runtime: row["runtime"])
        try row.withUnsafeData(atIndex: 5) { data in
            guard let data else { return }
            try data.withUnsafeBytes { body in
                try collect(body, origin, into: &lines) { () throws(LogChunkBodyError) in try LogChunkBody.LineWalker(body) }
            }
        }
    }

    /// Appends the lines of some segments of a chunk (the ones the word index named) that pass
    /// every line-level test, reading only the chunk's head and those segments.
    private func collect(_ origin: Origin, segments: [Int], blob: LogChunkBlob, into lines: inout [LogLine]) throws {
        guard try blob.open(origin.chunkID) else { return }
        let head = try blob.head()
        // The string table is decoded once a segment holds the text (half the segments a word
        // start names do not: `4711*` is also the start of request ids).
        var strings: [String]?
        for segment in segments where segment < head.starts.count {
            try blob.read(head.range(of: segment)) { bytes in
                try collect(bytes, origin, into: &lines) {
                    if strings == nil { strings = try blob.strings(head) }
                    return LogChunkBody.LineWalker(segment: bytes, strings: strings!, count: head.lines(in: segment))
                }
            }
        }
    }

    /// Appends the lines in `bytes` (a whole body, or one segment's lines) that pass every test.
    /// The text is found in the bytes first (most chunks end there); `walker` reads the lines.
    private func collect(
        _ bytes: UnsafeRawBufferPointer, _ origin: Origin, into lines: inout [LogLine],
        walker makeWalker: () throws -> LogChunkBody.LineWalker
    ) throws {
        // Where the text occurs in the bytes; nil: every line is read.
        var matches: [Int]?
        if let text {
            if text.unicodeFolded != nil {
                // Cased non-ASCII letters: the bytes must hold the text's ASCII part; each line is compared below.
                if let run = text.asciiRun.first, run.firstMatch(in: bytes, from: 0) == nil { return }
            } else {
                var found: [Int] = []
                while let at = text.firstMatch(in: bytes, from: (found.last ?? -1) + 1) { found.append(at) }
                guard !found.isEmpty else { return }
                matches = found
            }
        }
        var walker = try makeWalker()
        guard let references = references({ walker.strings.firstIndex(of: $0) }) else { return }
        let length = text?.needle.count ?? 0
        var next = 0
        while let header = try walker.next() {
            if let matches {
                while next < matches.count, matches[next] < header.message.lowerBound { next += 1 }
                guard next < matches.count else { break }  // no later line holds a match
                // A match starts in this message; it counts if one also ends in it.
                var inside = false
                while next < matches.count, matches[next] < header.message.upperBound {
                    if matches[next] + length <= header.message.upperBound { inside = true }
                    next += 1
                }
                guard inside else { continue }
            }
            guard passes(header, references, chunkID: origin.chunkID) else { continue }
            let message = walker.message(header)
            if let text, !text.matchesFolded(message) { continue }
            lines.append(line(header, origin, strings: walker.strings, message: message))
        }
    }

    /// What every line of a chunk shares.
    private struct Origin {
        var chunkID: Int64
        var siteID: String
        var hostID: String
        var kernel: String
        var runtime: String
    }

    /// The string-table positions of the container, app and tenant asked for (`nil` inside for one
    /// not asked for); nil when the table lacks one asked for, so no line of the chunk can match.
    private func references(_ position: (String) -> Int?) -> (container: Int?, app: Int?, tenant: Int?)? {
        func look(_ value: String?) -> Int?? {
            guard let value else { return .some(nil) }
            return position(value).map { .some($0) } ?? nil
        }
        guard let container = look(container), let app = look(app), let tenant = look(tenant) else { return nil }
        return (container, app, tenant)
    }

    /// Whether a line passes the tests other than the text.
    private func passes(_ header: LogChunkBody.Header, _ references: (container: Int?, app: Int?, tenant: Int?), chunkID: Int64) -> Bool {
        if let afterID, chunkID << Int64(LogChunkBody.indexBits) | Int64(header.index) <= afterID { return false }
        if let since, header.time < since { return false }
        if let until, untilIncluded ? header.time > until : header.time >= until { return false }
        if let layers, !layers.contains(header.layer) { return false }
        if let minimumSeverity, header.severity < minimumSeverity { return false }
        if let container = references.container, header.container != container { return false }
        if let app = references.app, header.app != app { return false }
        if let tenant = references.tenant, header.tenant != tenant { return false }
        return true
    }

    private func line(_ header: LogChunkBody.Header, _ origin: Origin, strings: [String], message: String) -> LogLine {
        func string(_ position: Int) -> String? { position >= 0 ? strings[position] : nil }
        return LogLine(
            id: origin.chunkID << Int64(LogChunkBody.indexBits) | Int64(header.index), time: Date(timeIntervalSince1970: header.time),
            severity: header.severity, layer: header.layer, source: strings[header.source], message: message, siteID: origin.siteID,
            hostID: origin.hostID, container: string(header.container), runtimeInstance: string(header.runtimeInstance),
            tenant: string(header.tenant), app: string(header.app), service: string(header.service), kernel: origin.kernel,
            runtime: origin.runtime)
    }
}
