import Foundation
import GRDB
import MarqueeTestSupport
import Testing

@testable import MarqueeCore

/// The chunked log store: the binary body, the word index never changing an answer, the move of
/// v11's rows into chunks, and retention that keeps the ids of the lines it keeps.
@Suite struct LogChunkTests {
    @Test func aBodyReadsBackEveryFieldAndADamagedOneIsAnError() throws {
        let lines = [
            LogChunkBody.Line(
                index: 0, time: 1_795_000_000.25, severity: .error, layer: .app, source: "stderr", message: "Traceback\n  File \"x.py\" — ünïcode",
                container: "c1", runtimeInstance: "4242", tenant: "vendor", app: "menu", service: "board"),
            LogChunkBody.Line(index: 7, time: 1_795_000_001, severity: .warning, layer: .kernel, source: "kmsg", message: ""),
            LogChunkBody.Line(index: 300_000, time: -1, severity: .debug, layer: .agent, source: "stderr", message: "x", container: "c1"),
        ]
        let bytes = LogChunkBody.encode(lines)
        let reader = try LogChunkBody.Reader(bytes)
        #expect(reader.headers.map(reader.line) == lines)
        #expect(reader.strings.filter { $0 == "c1" }.count == 1)  // repeated references are stored once
        #expect(throws: LogChunkBodyError.self) { try LogChunkBody.Reader(Array(bytes.dropLast(3))) }
        #expect(throws: LogChunkBodyError.self) { try LogChunkBody.Reader([2] + bytes.dropFirst()) }
        #expect(throws: LogChunkBodyError.self) { try LogChunkBody.Reader([]) }
        #expect(reader.version == 1 && reader.documents == [lines.map { $0.message + "\n" }.joined()])
        let segmented = LogChunkBody.encode(lines, segmented: true)
        let segmentedReader = try LogChunkBody.Reader(segmented)
        #expect(segmentedReader.headers.map(segmentedReader.line) == lines)
        #expect(throws: LogChunkBodyError.self) { try LogChunkBody.Reader(Array(segmented.dropLast(3))) }
    }

    /// A version 3 body's segment table: each segment's bytes alone read back its lines, the head
    /// is read from a prefix (or asks for more), and the word index's documents are per segment.
    @Test func aSegmentReadsBackAloneFromTheHeadAndItsOwnBytes() throws {
        var builder = LogChunkBuilder()
        let lines = (0..<150).map { index in
            LogChunkBody.Line(
                index: index, time: 1_795_000_000 + Double(index), severity: .info, layer: .app, source: "stdout",
                message: "GET /api/tickets/\(index) req=\(String(index * 7_919, radix: 16))", container: "c\(index % 3)")
        }
        for line in lines { builder.append(line) }
        let body = builder.body()
        let reader = try LogChunkBody.Reader(body)
        #expect(reader.version == 3 && reader.segmentLines == 64)
        #expect(reader.headers.map(reader.line) == lines)
        // Version 2 (stored before the suffix index) has the same layout.
        let older = try LogChunkBody.Reader([2] + body.dropFirst())
        #expect(older.version == 2 && older.headers.map(older.line) == lines)
        #expect(builder.documents.count == 3 && reader.documents == builder.documents)
        #expect(builder.documents[2] == lines[128...].map { $0.message + "\n" }.joined())
        try body.withUnsafeBytes { bytes in
            #expect(try LogChunkBody.Head.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<12]), length: bytes.count) == nil)
            // The head is the first 16 bytes: version, line count (2), lines per segment, 3 offsets.
            let head = try #require(try LogChunkBody.Head.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<16]), length: bytes.count))
            let strings = try LogChunkBody.Head.strings(UnsafeRawBufferPointer(rebasing: bytes[head.stringsRange]))
            #expect(head.starts.count == 3 && head.lineCount == 150 && strings == reader.strings)
            for segment in 0..<3 {
                let part = UnsafeRawBufferPointer(rebasing: bytes[head.range(of: segment)])
                var walker = LogChunkBody.LineWalker(segment: part, strings: strings, count: head.lines(in: segment))
                var read: [String] = []
                while let header = try walker.next() { read.append(walker.message(header)) }
                #expect(read == lines[(segment * 64)..<min(150, segment * 64 + 64)].map(\.message))
            }
        }
        // A segment table pointing past the body is an error, not a crash: the second offset's high byte.
        var damaged = body
        damaged[4 + 4 + 3] = 0xFF
        #expect(throws: LogChunkBodyError.self) { try damaged.withUnsafeBytes { try LogChunkBody.Head.parse($0, length: $0.count) } }
    }

    @Test func theWordIndexIsUsedOnlyForWordsTheTextProves() {
        #expect(LogTextSearch("GET /api/tickets/4711").indexExpression == #""api" AND "tickets" AND "4711"*"#)
        #expect(LogTextSearch("req=9f3c2a7b").indexExpression == #""9f3c2a7b"*"#)
        #expect(LogTextSearch("throttl").indexExpression == nil)  // may sit inside a longer word
        #expect(LogTextSearch("x.py\"").indexExpression == #""py""#)
        #expect(LogTextSearch("->").indexExpression == nil)
        #expect(LogTextSearch("RT Throttling").matches(Array("sched: rt throttling activated".utf8)[...]))
        #expect(!LogTextSearch("throttled").matches(Array("sched: rt throttling activated".utf8)[...]))
    }

    @Test func patternsMaskEveryWordWithADigit() {
        #expect(LogPattern.of("hrtimer: interrupt took 2456093 ns") == "hrtimer: interrupt took # ns")
        #expect(LogPattern.of("shim disconnected id=4f2a9c namespace=k8s.io") == "shim disconnected id=# namespace=#.io")
        #expect(LogPattern.of("Linux 6.1.0-18-amd64 straße 42ü") == "Linux #.#.#-#-# straße #")
        #expect(LogPattern.of(String(repeating: "é", count: 150)).utf8.count == 200)  // cut between characters
    }

    /// The SIMD comparison against a plain one, on texts with and without caseless bytes, at the
    /// start, the end, across 16-byte blocks, overlapping and absent.
    @Test func matchingAgreesWithAPlainComparison() {
        var random = SystemRandomNumberGenerator()
        let alphabet = ["a", "A", "b", "B", "1", " ", "=", "/", "ü", "Ü"].map { Array($0.utf8) }
        for _ in 0..<3_000 {
            let haystack = (0..<Int.random(in: 0...90, using: &random)).flatMap { _ in alphabet.randomElement(using: &random)! }
            let needle = (0..<Int.random(in: 1...7, using: &random)).flatMap { _ in alphabet.randomElement(using: &random)! }
            let text = String(decoding: needle, as: UTF8.self)
            let folded = { (bytes: [UInt8]) in bytes.map { $0 >= 0x41 && $0 <= 0x5a ? $0 | 0x20 : $0 } }
            // A cased non-ASCII letter (`Ü`) makes the comparison Unicode-caseless.
            let plain =
                text.contains { !$0.isASCII }
                ? String(decoding: haystack, as: UTF8.self).lowercased().contains(text.lowercased())
                : haystack.count >= needle.count
                    && (0...(haystack.count - needle.count)).contains { Array(folded(haystack)[$0..<($0 + needle.count)]) == folded(needle) }
            #expect(LogTextSearch(text).matches(haystack[...]) == plain, "\(text) in \(String(decoding: haystack, as: UTF8.self))")
        }
    }

    /// Whatever the text, the store answers exactly what reading every line would: the index only
    /// skips chunks that cannot hold a match.
    @Test func searchesAnswerExactlyWhatReadingEveryLineWould() async throws {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        let fleet = Fixtures.fleet(theaters: 12)
        try await store.replaceFleet(with: fleet)
        let lifecycle = HostLifecycle(store: store, now: { Fixtures.now })
        let hosts = Array(fleet.hosts.filter { $0.status == .online }.prefix(4))
        let messages = [
            "GET /api/tickets/4711 200 12.0ms req=9f3c2a7be41d0c55", "GET /api/tickets/47110 200 3ms", "sched: RT throttling activated",
            "hrtimer: interrupt took 2456093 ns", "java.lang.NullPointerException at Main.run(Main.java:42)", "Ünïcode straße ok",
            "time=\"2026-11-27T10:00:00Z\" level=info msg=\"shim disconnected\" id=4f2a9c", "x.py\" line 3", "-> arrow only",
            "RT-Throttling is not this",
        ]
        var sent: [(message: String, time: Date)] = []
        for (number, host) in hosts.enumerated() {
            let (token, _) = try await lifecycle.createEnrollmentToken(siteID: host.siteID, ttl: .seconds(60))
            let credential = try await lifecycle.enroll(token: token, facts: host.facts).credential
            // 24 chunks: more than are read before the word index is asked.
            for sequence in 1...6 {
                // 150 lines: three segments of the word index, the last one short.
                let records = (0..<150).map { index in
                    let message =
                        number == 2 && sequence == 4 && index == 130
                        ? "POST /api/refunds req=deadbeef00112233 only here" : messages[(index * 7 + number * 3 + sequence) % messages.count]
                    let time = Fixtures.now.addingTimeInterval(Double(sequence * 100 + index + number))
                    sent.append((message, time))
                    return ReportRecord.log(
                        LogEntry(severity: .info, layer: index % 3 == 0 ? .kernel : .app, source: "stdout", message: message), at: time)
                }
                _ = try await lifecycle.heartbeat(
                    credential: credential, facts: nil, batches: [ReportBatch(sequence: Int64(sequence), createdAt: Fixtures.now, records: records)])
            }
        }
        let texts = [
            "req=9f3c2a7be41d0c55", "9f3c2a7be41d0c55", "c2a7be", "tickets/4711", "/api/tickets/4711 ", "4711", "throttling", "RT throttling",
            "rt-throttling", "NullPointer", "Exception", "Main.java:42", "straße", "ÜNÏCODE", "Ünïcode", "shim disconnected\" id=4f2a",
            "x.py\"", "->", "ms", "nothing like this", "ÜNÏCODE STRASSE", "ünïcode straße OK", "STRAẞE", "Straße ok", "req=deadbeef00112233",
            "/api/refunds",
            // Lone fragments long enough for the suffix index, at offsets 1, 4 and 5 of a word.
            "f3c2a7be41d0c55", "2a7be41d0c55", "PointerException", "ointerExcept", "adbeef0011", "hrottling", "Throttling activ",
        ]
        for text in texts {
            let expected = sent.filter { folded($0.message, like: text).contains(folded(text, like: text)) }
            let found = try await store.logs(LogQuery(text: text, limit: 10_000))
            #expect(found.count == expected.count, "\(text): \(found.count) lines, reading every line finds \(expected.count)")
            #expect(found.allSatisfy { folded($0.message, like: text).contains(folded(text, like: text)) })
            // The newest few, whether they come from the chunks read first or through the index.
            let newest = try await store.logs(LogQuery(text: text, limit: 5))
            #expect(newest.map(\.time) == expected.map(\.time).sorted(by: >).prefix(5).map { $0 }, "the newest lines with \(text)")
            // The same when every word is "common" here (the newest chunks first, then the walk), when
            // a rare word's segments span "too many" chunks, and when words are looked up in steps.
            for (segments, chunks, firstLook) in [(2, 1_024, 256), (4_096, 3, 256), (4_096, 1_024, 1), (3, 1_024, 2)] {
                var scan = LogScan(LogQuery(text: text, limit: 10_000))
                (scan.fewSegments, scan.fewCandidates, scan.chunksBeforeIndex, scan.firstLook) = (segments, chunks, 2, firstLook)
                let walked = try await store.writer.read { [scan] db in try scan.run(db) }
                #expect(
                    walked.map(\.id) == found.map(\.id),
                    "\(text) with \(segments) segments, \(chunks) chunks listed at most, \(firstLook) segments looked at first")
            }
        }
    }

    /// The store ignores ASCII case, and Unicode case when the text has a non-ASCII letter with case.
    private func folded(_ message: String, like text: String) -> String {
        text.unicodeScalars.contains { !$0.isASCII && $0.properties.changesWhenCaseMapped } ? message.lowercased() : asciiFolded(message)
    }

    private func asciiFolded(_ text: String) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5a ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    @Test func linesStoredBeforeChunksAreMovedIntoThem() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("v17.db")
        let pool = try DatabasePool(path: path)
        try FleetMigrations.migrator.migrate(pool, upTo: "v17-quotas")
        try await pool.write { db in
            for (index, message) in ["sched: RT throttling activated", "GET / 200", "hrtimer: interrupt took 12 ns"].enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO logLine (time, severity, layer, source, message, siteID, hostID, container, tenant, app, service, kernel, runtime, pattern)
                        VALUES (?, 'warning', ?, 'kmsg', ?, 'se-sto-001', 'se-sto-001-h1', ?, ?, ?, NULL, '6.1.0-18-amd64', 'containerd 1.7.13', NULL)
                        """,
                    arguments: [
                        1_795_000_000 + Double(index), index == 1 ? "app" : "kernel", message, index == 1 ? "c1" : nil,
                        index == 1 ? "vendor" : nil, index == 1 ? "menu" : nil,
                    ])
            }
        }
        try pool.close()
        let store = SQLiteFleetStore(try FleetDatabase.open(at: path, create: false))
        let lines = try await store.logs(LogQuery())
        #expect(lines.map(\.message) == ["hrtimer: interrupt took 12 ns", "GET / 200", "sched: RT throttling activated"])
        #expect(try await store.logs(LogQuery(container: "c1")).map(\.app) == ["menu"])
        #expect(try await store.logs(LogQuery(text: "throttling")).count == 1)
        #expect(lines.allSatisfy { $0.kernel == "6.1.0-18-amd64" && $0.runtime == "containerd 1.7.13" && $0.siteID == "se-sto-001" })
        // The moved chunk keeps body version 1 and its row in the chunk-level word index, which retention empties.
        let indexed = { (table: String) in
            try await store.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table) WHERE \(table) MATCH 'throttling'") }
        }
        #expect(try await indexed("logChunkText") == 1)
        #expect(try await indexed("logSegmentText") == 0)
        #expect(try await store.pruneLogs(before: Date(timeIntervalSince1970: 1_795_000_010), maximumLines: 100) == 3)
        #expect(try await indexed("logChunkText") == 0)
    }

    /// A store whose one enrolled host has reported `count` lines, a second apart from `Fixtures.now`.
    static func hostReporting(_ count: Int, layer: LogLayer = .app, message: (Int) -> String) async throws -> SQLiteFleetStore {
        let (store, lifecycle, credential) = try await enrolledHost()
        let records = (0..<count).map { index in
            ReportRecord.log(
                LogEntry(severity: .info, layer: layer, source: layer == .kernel ? "kmsg" : "stdout", message: message(index)),
                at: Fixtures.now.addingTimeInterval(Double(index)))
        }
        _ = try await lifecycle.heartbeat(
            credential: credential, facts: nil, batches: [ReportBatch(sequence: 1, createdAt: Fixtures.now, records: records)])
        return store
    }

    /// A store with a small fleet and one online host enrolled: its heartbeat's lifecycle and credential.
    static func enrolledHost() async throws -> (SQLiteFleetStore, HostLifecycle<SQLiteFleetStore>, String) {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        let fleet = Fixtures.fleet(theaters: 4)
        try await store.replaceFleet(with: fleet)
        let lifecycle = HostLifecycle(store: store, now: { Fixtures.now })
        let host = try #require(fleet.hosts.first { $0.status == .online })
        let (token, _) = try await lifecycle.createEnrollmentToken(siteID: host.siteID, ttl: .seconds(60))
        return (store, lifecycle, try await lifecycle.enroll(token: token, facts: host.facts).credential)
    }

    /// An outbox flushed after an outage carries an hour of lines in one report: they are stored in
    /// 5-minute chunks, so time ranges (bounded on the chunks' newest line) still find every line.
    @Test func aReportSpanningAnHourIsFoundByAnyTimeRangeInIt() async throws {
        let (store, lifecycle, credential) = try await Self.enrolledHost()
        let offsets: [TimeInterval] = [0, 10, 299, 301, 1_800, 3_600, 5]  // arrival order, not time order
        let records = offsets.map { offset in
            ReportRecord.log(
                LogEntry(severity: .info, layer: .os, source: "syslog", message: "at +\(Int(offset)) s"), at: Fixtures.now.addingTimeInterval(offset))
        }
        _ = try await lifecycle.heartbeat(
            credential: credential, facts: nil, batches: [ReportBatch(sequence: 1, createdAt: Fixtures.now, records: records)])
        for (from, to) in [(0.0, 11.0), (290.0, 310.0), (1_700.0, 1_900.0), (3_599.0, 3_601.0), (-60.0, 4_000.0)] {
            let expected = offsets.filter { $0 >= from && $0 < to }.count
            let found = try await store.logs(
                LogQuery(since: Fixtures.now.addingTimeInterval(from), until: Fixtures.now.addingTimeInterval(to), limit: 100))
            #expect(found.count == expected, "[\(from), \(to)): \(found.map(\.message))")
        }
        // Following returns each of them once.
        let all = try await store.logs(LogQuery(afterID: 0, limit: 100)).map(\.message)
        #expect(Set(all) == Set(offsets.map { "at +\(Int($0)) s" }) && all.count == offsets.count)
    }

    @Test func retentionRewritesAStraddlingChunkAndTheKeptLinesKeepTheirIds() async throws {
        let store = try await Self.hostReporting(10, layer: .kernel) { "line \($0) of ten" }
        let before = try await store.logs(LogQuery())
        #expect(try await store.pruneLogs(before: Fixtures.now.addingTimeInterval(4), maximumLines: 100) == 4)
        let after = try await store.logs(LogQuery())
        #expect(after.map(\.id) == Array(before.prefix(6)).map(\.id))
        #expect(try await store.logs(LogQuery(text: "line 2 of")).isEmpty)
        #expect(try await store.logs(LogQuery(text: "line 5 of")).count == 1)
        // Following from a kept line sees only newer ones.
        #expect(try await store.logs(LogQuery(afterID: after[3].id)).map(\.message) == ["line 7 of ten", "line 8 of ten", "line 9 of ten"])
        #expect(try await store.pruneLogs(before: Fixtures.now, maximumLines: 2) == 4)
        #expect(try await store.logs(LogQuery()).map(\.message) == ["line 9 of ten", "line 8 of ten"])
        // The word index lost exactly the deleted lines' words (a contentless index deletes by the text given).
        let segments = { (word: String) in
            try await store.writer.read {
                try Int.fetchOne($0, sql: "SELECT count(*) FROM logSegmentText WHERE logSegmentText MATCH ?", arguments: [word])
            }
        }
        #expect(try await segments("9") == 1)
        #expect(try await segments("7") == 0)
        #expect(try await segments("line") == 1)
        #expect(try await store.pruneLogs(before: Fixtures.now.addingTimeInterval(100), maximumLines: 100) == 2)
        #expect(try await segments("line") == 0)
    }
}
