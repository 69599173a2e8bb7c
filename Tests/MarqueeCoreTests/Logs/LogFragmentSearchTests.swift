import Foundation
import GRDB
import MarqueeTestSupport
import Testing

@testable import MarqueeCore

/// The suffix index: a lone fragment (an id without its `req=`, part of a long word) is found
/// through it wherever it sits in a word, and chunks stored before it are still read.
@Suite struct LogFragmentSearchTests {
    @Test func longWordsAreIndexedFromEverySixthCharacter() {
        let document = LogWordSuffixes.document(of: "GET req=9f3c2a7be41d0c55 x.py\" throttling Straßenbahnhof\nshort words\n")
        #expect(document == "7be41d0c55 nbahnhof ")
        #expect(LogWordSuffixes.document(of: "GET /api/tickets/4711 200") == "")
        let queries = LogTextSearch("C2a7be41d0c5").indexFragment
        #expect(queries?.words == #""c2a7be41d0c5"*"#)
        #expect(queries?.suffixes == #""c2a7be41d0c5"* OR "2a7be41d0c5"* OR "a7be41d0c5"* OR "7be41d0c5"* OR "be41d0c5"* OR "e41d0c5"*"#)
        // Its longest run: ` 9f3c2a7be41d0c55` proves no word (it may end one), its run is a fragment.
        #expect(LogTextSearch("x 9f3c2a7be41d0c55").indexFragment == nil)  // `9f3c…` is proven (a word start)
        #expect(LogTextSearch("9f3c2a7be41d0c55 ").indexFragment?.words == #""9f3c2a7be41d0c55"*"#)
        #expect(LogTextSearch("throttl").indexFragment == nil)  // too short: the newest chunks answer it
        #expect(LogTextSearch("req=9f3c2a7b").indexFragment == nil)  // the word index answers it
        #expect(LogTextSearch("STRAẞENBAHNHOF").indexFragment == nil)  // Unicode case: compared line by line
    }

    /// Every fragment of a long word, at every offset and length from 10 characters, is found
    /// through the two indexes alone, and a fragment in one line names just that line's segment.
    @Test func everyFragmentOfALongWordIsFoundThroughTheIndex() async throws {
        // Japanese has no case: its characters are three UTF-8 bytes each, and positions count characters.
        let words = ["9f3c2a7be41d0c55", "NullPointerException", "接続タイムアウトab12cd", "deadbeef00112233"]
        let store = try await LogChunkTests.hostReporting(300) { index in
            "line \(index) req=\(index == 250 ? words[3] : words[index % 3]) at java.lang.\(index)"
        }
        // Each line's segment row id in the word and suffix indexes, from its id.
        let stored = try await store.logs(LogQuery(limit: 1_000))
        let row = { (line: LogLine) in
            let chunk = line.id >> Int64(LogChunkBody.indexBits)
            return LogChunkStore.segmentRowID(chunk, Int(line.id & Int64(LogChunkBody.maximumLines - 1)) / LogChunkBody.segmentLines)
        }
        var scan = LogScan(limit: 1_000)
        scan.chunksBeforeIndex = 0
        for word in words {
            let characters = Array(word.lowercased())
            for start in 0..<characters.count {
                for end in stride(from: start + LogWordSuffixes.minimumFragment, through: characters.count, by: 1) {
                    let fragment = String(characters[start..<end])
                    let search = LogTextSearch(fragment)
                    let queries = try #require(search.indexFragment, "\(fragment)")
                    let rows = try await store.writer.read { [scan] db in try scan.fragmentSegments(db, queries) }
                    let expected = stored.filter { $0.message.lowercased().contains(fragment) }
                    #expect(Set(try #require(rows)) == Set(expected.map(row)), "\(fragment)")
                    scan.text = search
                    let found = try await store.writer.read { [scan] db in try scan.run(db) }
                    #expect(found.count == expected.count, "\(fragment)")
                }
            }
        }
    }

    /// Chunks stored before the suffix index existed (body version 2, no rows in it) are read whole.
    @Test func chunksFromBeforeTheSuffixIndexAreStillSearched() async throws {
        // The fragment inside a word in segment 1, and starting one in segment 0 (the word index
        // names that segment alone; the older chunk must still be read whole).
        let ids = [120: "00aa11bb22cc33dd", 10: "a11bb22cc33d0000"]
        let store = try await LogChunkTests.hostReporting(200) { "GET / req=\(ids[$0] ?? "\($0)")" }
        #expect(try await store.logs(LogQuery(text: "a11bb22cc33d")).count == 2)
        // As a database upgraded to v22 sees its older chunks.
        try await store.writer.write { db in
            try db.execute(sql: "INSERT INTO logSegmentSuffix (logSegmentSuffix) VALUES ('delete-all')")
            try db.execute(sql: "UPDATE logSuffixIndexStart SET firstChunkID = (SELECT max(id) + 1 FROM logChunk)")
        }
        var scan = LogScan(LogQuery(text: "a11bb22cc33d"))
        scan.chunksBeforeIndex = 0
        let rows: [Int64]? = try await store.writer.read { [scan] db in try scan.fragmentSegments(db, scan.text!.indexFragment!) }
        #expect(rows?.count == 1)
        let found: [LogLine] = try await store.writer.read { [scan] db in try scan.run(db) }
        #expect(found.map(\.message) == ["GET / req=00aa11bb22cc33dd", "GET / req=a11bb22cc33d0000"])
    }

    /// Retention removes a chunk's suffix rows with it (a contentless index deletes by the text given).
    @Test func retentionEmptiesTheSuffixIndex() async throws {
        let store = try await LogChunkTests.hostReporting(100, layer: .kernel) { "proxy: upstreamtimeout \($0)" }
        let suffixes = {
            try await store.writer.read {
                try Int.fetchOne($0, sql: "SELECT count(*) FROM logSegmentSuffix WHERE logSegmentSuffix MATCH 'amtimeout'")
            }
        }
        #expect(try await suffixes() == 2)
        #expect(try await store.pruneLogs(before: Fixtures.now.addingTimeInterval(70), maximumLines: 1_000) == 70)
        #expect(try await suffixes() == 1)
        #expect(try await store.pruneLogs(before: Fixtures.now.addingTimeInterval(200), maximumLines: 1_000) == 30)
        #expect(try await suffixes() == 0)
        #expect(try await store.logs(LogQuery(text: "pstreamtimeo")).isEmpty)
    }
}
