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
    /// Only lines not about a container (a host's own runtime, OS and kernel lines).
    var withoutContainer = false
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
        // The word index answers which chunks can hold the text. Few of them (a rare id): read just
        // those, in order. Many (a common message): walk the ordered chunks and skip the others, so
        // the newest matches come first and reading stops early.
        if let expression = text?.indexExpression {
            let found = try Int64.fetchAll(
                db.cachedStatement(sql: "SELECT rowid FROM logChunkText WHERE logChunkText MATCH ? LIMIT ?"),
                arguments: [expression, Self.fewCandidates + 1])
            if found.isEmpty { return [] }
            if found.count <= Self.fewCandidates {
                add("c.id IN (\(found.map(String.init).joined(separator: ",")))", [])
            } else {
                // `+` keeps SQLite from driving the read by this list: the ordered index drives it.
                add("+c.id IN (SELECT rowid FROM logChunkText WHERE logChunkText MATCH ?)", [expression])
            }
        }
        // Chunk headers only: bodies are read one at a time, and only for chunks that are used.
        let sql = """
            SELECT c.id, c.maxTime FROM \(from)
            \(clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")) ORDER BY \(afterID == nil ? newestFirst : "c.id ASC")
            """
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        let chunk = try db.cachedStatement(sql: "SELECT id, siteID, hostID, kernel, runtime, body FROM logChunk WHERE id = ?")
        var lines: [LogLine] = []
        var oldestKept = -Double.infinity
        while let row = try rows.next() {
            if afterID == nil, lines.count >= limit, row["maxTime"] < oldestKept { break }
            guard let stored = try Row.fetchOne(chunk, arguments: [row["id"] as Int64]) else { continue }
            try collect(stored, into: &lines)
            if afterID != nil {
                if lines.count >= limit { break }
            } else if lines.count >= limit {
                lines.sort(by: Self.newerFirst)
                lines.removeLast(lines.count - limit)
                oldestKept = lines[lines.count - 1].time.timeIntervalSince1970
            }
        }
        if afterID == nil {
            lines.sort(by: Self.newerFirst)
        }
        return Array(lines.prefix(limit))
    }

    /// Up to this many chunks from the word index are read by id; more, by walking the ordered chunks.
    static let fewCandidates = 256

    static func newerFirst(_ a: LogLine, _ b: LogLine) -> Bool {
        (a.time, a.id) > (b.time, b.id)
    }

    /// Appends the chunk's lines that pass every line-level test.
    private func collect(_ row: Row, into lines: inout [LogLine]) throws {
        let body = Array(row["body"] as Data)
        if let text, !text.matches(body[...]) { return }
        let reader = try LogChunkBody.Reader(body)
        func position(_ value: String?) -> Int?? {
            guard let value else { return .some(nil) }
            guard let position = reader.position(of: value) else { return nil }
            return .some(position)
        }
        // A reference the chunk's string table lacks: no line of it can match.
        guard let container = position(container), let app = position(app), let tenant = position(tenant) else { return }
        let chunkID: Int64 = row["id"]
        let siteID: String = row["siteID"]
        let hostID: String = row["hostID"]
        let kernel: String = row["kernel"]
        let runtime: String = row["runtime"]
        for header in reader.headers {
            let id = chunkID << Int64(LogChunkBody.indexBits) | Int64(header.index)
            if let afterID, id <= afterID { continue }
            if let since, header.time < since { continue }
            if let until, untilIncluded ? header.time > until : header.time >= until { continue }
            if let layers, !layers.contains(header.layer) { continue }
            if let minimumSeverity, header.severity < minimumSeverity { continue }
            if withoutContainer, header.container >= 0 { continue }
            if let container, header.container != container { continue }
            if let app, header.app != app { continue }
            if let tenant, header.tenant != tenant { continue }
            if let text, !text.matches(reader.bytes[header.message]) { continue }
            lines.append(
                LogLine(
                    id: id, time: Date(timeIntervalSince1970: header.time), severity: header.severity, layer: header.layer,
                    source: reader.strings[header.source], message: reader.message(header), siteID: siteID, hostID: hostID,
                    container: reader.string(header.container), runtimeInstance: reader.string(header.runtimeInstance),
                    tenant: reader.string(header.tenant), app: reader.string(header.app), service: reader.string(header.service), kernel: kernel,
                    runtime: runtime))
        }
    }
}
