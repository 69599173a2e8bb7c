import GRDB

extension LogScan {
    /// The segments holding the rarest two of `terms` (a line with the text holds them all), when
    /// at most ``fewSegments`` hold one of them; nil when each is in more; empty when one is in none.
    ///
    /// FTS5 answers `a AND b` by stepping through every term's list, so a common word beside a rare
    /// one (`api` beside `4711*`: 160,000 segments beside 350 in the benchmark) costs milliseconds.
    /// So each term is looked up alone, and a common word is given up early:
    ///
    /// 1. Whole words: the first ``firstLook`` segments of each. A word with no more is rare.
    /// 2. Word starts (`"4711"*`), when no whole word is rare: FTS5 merges every word a prefix starts
    ///    before the first row comes (milliseconds for `activated*`, seconds for `1*`), so a prefix
    ///    is looked up only when it has at least three characters and the word itself is rare.
    /// 3. Whole words again, when still none is rare, up to ``fewSegments``, but only those whose
    ///    first look (their density since their first segment) says they may have that few.
    ///    Stepping through 4,096 segments of each common word is what this spares: it was half of a
    ///    search for `GET /api/tickets/4711`.
    func rareSegments(_ db: Database, _ terms: [String]) throws -> [Int64]? {
        let lookup = WordLookup(db: db, statement: try db.cachedStatement(sql: Self.segmentsSQL))
        var words = try terms.filter { !$0.hasSuffix("*") }.map { try lookup.segments(of: $0, cap: firstLook) }
        if words.contains(where: { $0.complete && $0.rows.isEmpty }) { return [] }
        var rare = words.filter(\.complete)
        if rare.isEmpty {
            for term in terms where term.hasSuffix("*") {
                let word = String(term.dropLast())  // `"4711"`: the quotes count two
                guard word.count - 2 >= 3 else { continue }
                var alone = try lookup.segments(of: word, cap: firstLook)
                if !alone.complete, try lookup.mayHave(alone, atMost: fewSegments) { alone = try lookup.more(alone, cap: fewSegments) }
                guard alone.complete else { continue }
                let found = try lookup.segments(of: term, cap: fewSegments)
                guard found.complete else { continue }
                if found.rows.isEmpty { return [] }
                rare.append(found)
            }
        }
        if rare.isEmpty {
            for index in words.indices where try lookup.mayHave(words[index], atMost: fewSegments) {
                words[index] = try lookup.more(words[index], cap: fewSegments)
                if words[index].complete { rare.append(words[index]) }
            }
        }
        rare.sort { $0.rows.count < $1.rows.count }
        guard var rows = rare.first?.rows else { return nil }
        // The next rarest narrows the list further (a rare word can sit beside another rare one).
        if rare.count > 1, !rows.isEmpty {
            let other = Set(rare[1].rows)
            rows = rows.filter(other.contains)
        }
        return rows
    }

    static let segmentsSQL = "SELECT rowid FROM logSegmentText WHERE logSegmentText MATCH ? AND rowid > ? LIMIT ?"
}

/// A term's segments in the word index as far as they have been read, oldest first.
struct WordSegments {
    var term: String
    var rows: [Int64]
    /// `rows` are all of the term's segments (else there are more).
    var complete: Bool
}

/// Reads a term's segments from the word index in steps.
struct WordLookup {
    let db: Database
    let statement: Statement

    /// The term's first `cap` segments (and whether that is all of them).
    func segments(of term: String, cap: Int) throws -> WordSegments {
        let rows = try statement.int64Column([term, Int64.min, cap + 1], db: db)
        return WordSegments(term: term, rows: Array(rows.prefix(cap)), complete: rows.count <= cap)
    }

    /// The term's segments read on, after those already read, up to `cap` in all.
    func more(_ found: WordSegments, cap: Int) throws -> WordSegments {
        guard !found.complete, let last = found.rows.last, found.rows.count < cap else { return found }
        let rows = try statement.int64Column([found.term, last, cap - found.rows.count + 1], db: db)
        let all = found.rows + rows
        return WordSegments(term: found.term, rows: Array(all.prefix(cap)), complete: all.count <= cap)
    }

    /// Whether a term whose first segments were read may be in at most `limit` segments, judged by
    /// how densely they fill the chunks since its first one, carried on to the newest chunk.
    ///
    /// A guess, so it only steers cost: a word judged common is found by walking the chunks.
    func mayHave(_ found: WordSegments, atMost limit: Int) throws -> Bool {
        guard let first = found.rows.first, let last = found.rows.last else { return true }
        let bits = Int64(LogChunkBody.segmentBits)
        let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM logChunk") ?? (last >> bits)
        let read = Double((last >> bits) - (first >> bits) + 1)
        let since = Double(Swift.max(newest, last >> bits) - (first >> bits) + 1)
        return Double(found.rows.count) * since / read <= Double(2 * limit)
    }
}

extension LogScan {
    /// The segments where a lone fragment may lie (``LogTextSearch/indexFragment``): those with a
    /// word it starts (word index) or a sampled suffix one of its first characters starts (suffix
    /// index, ``LogWordSuffixes``), in row id order; nil when more than ``fewSegments``.
    func fragmentSegments(_ db: Database, _ queries: (words: String, suffixes: String)) throws -> [Int64]? {
        var rows: Set<Int64> = []
        for (table, query) in [("logSegmentText", queries.words), ("logSegmentSuffix", queries.suffixes)] {
            let found = try db.cachedStatement(sql: "SELECT rowid FROM \(table) WHERE \(table) MATCH ? LIMIT ?").int64Column(
                [query, fewSegments + 1], db: db)
            rows.formUnion(found)
            if rows.count > fewSegments { return nil }
        }
        return rows.sorted()
    }

    /// Word-index row ids (`chunk id << segmentBits | segment`) as each chunk's segment numbers.
    static func segmentsByChunk(_ rows: [Int64]) -> [Int64: [Int]] {
        let bits = Int64(LogChunkBody.segmentBits)
        var segments: [Int64: [Int]] = [:]
        for row in rows { segments[row >> bits, default: []].append(Int(row & (1 << bits - 1))) }
        return segments
    }

    /// Chunk ids as one JSON array for `json_each(?)`: bound, the statement's text stays the same,
    /// so it is prepared once, not parsed again with hundreds of literals for every search.
    static func idList(_ ids: some Sequence<Int64>) -> String {
        "[" + ids.map { String($0) }.joined(separator: ",") + "]"
    }

    /// The first chunk id with rows in the suffix index, when an older chunk is still stored.
    func unsuffixedBefore(_ db: Database) throws -> Int64? {
        guard let start = try Int64.fetchOne(db.cachedStatement(sql: "SELECT firstChunkID FROM logSuffixIndexStart")) else { return nil }
        return try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM logChunk WHERE id < ?)"), arguments: [start]) == true
            ? start : nil
    }
}
