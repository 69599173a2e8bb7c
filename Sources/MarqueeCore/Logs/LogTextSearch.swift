import Foundation

/// A log search: "the message contains this text", ignoring case — ASCII case by bytes, and when
/// the text holds a non-ASCII letter with case (`Größe`, `ÇAĞRI`), Unicode case line by line.
///
/// The store's full-text index holds the *words* of each chunk (SQLite FTS5, `ascii` tokenizer:
/// runs of ASCII letters and digits and of non-ASCII bytes; everything else separates). It narrows
/// the chunks to read only with words the text proves a matching line must contain:
///
/// - a word with a separator on both sides in the text (`GET /api/tickets/4711` → `api`,
///   `tickets`) must be a whole word of the line;
/// - a word with a separator only before it (`req=9f3c` → `9f3c`) must begin a word of the line
///   (an FTS5 prefix query).
///
/// A text with no such word — one fragment such as `throttl`, which may sit inside a longer word —
/// cannot use the word index alone. When its longest run of word bytes has at least
/// ``LogWordSuffixes/minimumFragment`` characters, that run is looked up in the word index as a
/// word start and in the suffix index (``LogWordSuffixes``); otherwise the store reads the chunks in
/// the query's other bounds (references, time), newest first, until it has enough lines. Every candidate line is checked against the
/// text itself, so the index only ever skips chunks, never changes the answer. (The tokenizer folds
/// ASCII only, so a text with cased non-ASCII letters leaves its non-ASCII words out.)
public struct LogTextSearch: Sendable, Equatable {
    /// The text, ASCII-lowercased, as UTF-8.
    let needle: [UInt8]
    /// The FTS5 expression of the words the text proves, or nil when it proves none.
    public let indexExpression: String?
    /// Each word of `indexExpression` as an FTS5 expression of its own (`"api"`, `"4711"*`).
    public let indexTerms: [String]
    /// For a text that proves no word: the FTS5 queries (word index, suffix index) that find every
    /// segment its longest fragment may lie in (``LogWordSuffixes``), or nil when it is too short.
    public let indexFragment: (words: String, suffixes: String)?
    /// The two offsets in `needle` compared first (``LogTextSearch/anchors(of:)``).
    let anchors: (Int, Int)
    /// The text in Unicode lowercase when it has a non-ASCII letter with case: each line is then
    /// compared as a lowercased `String` (slower; ASCII-only texts never are).
    let unicodeFolded: String?
    /// With `unicodeFolded`: the longest ASCII run of the text (at most one), which a chunk's bytes
    /// must hold before its lines are compared.
    let asciiRun: [LogTextSearch]

    public static func == (a: LogTextSearch, b: LogTextSearch) -> Bool {
        a.needle == b.needle
    }

    public init(_ text: String) {
        needle = Array(text.utf8).map(Self.lowered)
        let folds = text.unicodeScalars.contains { !$0.isASCII && $0.properties.changesWhenCaseMapped }
        unicodeFolded = folds ? text.lowercased() : nil
        var terms: [String] = []
        var start: Int?
        for position in 0...needle.count {
            let isWord = position < needle.count && Self.isWordByte(needle[position])
            if isWord, start == nil { start = position }
            if !isWord, let begin = start {
                start = nil
                guard begin > 0 else { continue }  // it may end a longer word of the line
                if folds, needle[begin..<position].contains(where: { $0 >= 0x80 }) { continue }  // the index keeps its case
                let word = String(decoding: needle[begin..<position], as: UTF8.self)
                terms.append(position < needle.count ? "\"\(word)\"" : "\"\(word)\"*")
            }
        }
        var seen = Set<String>()
        terms = terms.filter { seen.insert($0).inserted }
        indexTerms = terms
        indexExpression = terms.isEmpty ? nil : terms.joined(separator: " AND ")
        let longest = needle.split(whereSeparator: { !Self.isWordByte($0) }).max { $0.count < $1.count }
        indexFragment = terms.isEmpty && !folds ? longest.flatMap(LogWordSuffixes.queries(for:)) : nil
        anchors = Self.anchors(of: needle)
        asciiRun =
            folds
            ? needle.split(whereSeparator: { $0 >= 0x80 }).max { $0.count < $1.count }.map { [LogTextSearch(String(decoding: $0, as: UTF8.self))] }
                ?? []
            : []
    }

    /// Whether a line's message contains the text when the text needs Unicode case (`unicodeFolded`).
    func matchesFolded(_ message: String) -> Bool {
        guard let unicodeFolded else { return true }
        return message.lowercased().contains(unicodeFolded)
    }

    /// Whether `haystack` (UTF-8) contains the text, ignoring case.
    public func matches(_ haystack: ArraySlice<UInt8>) -> Bool {
        guard unicodeFolded == nil else { return matchesFolded(String(decoding: haystack, as: UTF8.self)) }
        return haystack.withUnsafeBytes { firstMatch(in: $0, from: 0) != nil }
    }

    /// Where the text next starts in `haystack` at or after `start`, ignoring ASCII case.
    ///
    /// Sixteen places at a time (SIMD): the two bytes of the text least common in log text (see
    /// ``LogTextSearch/rank(_:)``) are compared at their offsets, and only places where both agree
    /// are compared in full. A chunk's whole body is scanned this way before any line is decoded.
    public func firstMatch(in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let count = needle.count
        guard count > 0 else { return start <= haystack.count ? start : nil }
        guard let base = haystack.baseAddress, haystack.count - start >= count else { return nil }
        let last = haystack.count - count  // the last possible start
        let (first, second) = anchors
        return needle.withUnsafeBufferPointer { needle in
            func matchesAt(_ at: Int) -> Bool {
                for offset in 0..<count where Self.lowered(base.load(fromByteOffset: at + offset, as: UInt8.self)) != needle[offset] {
                    return false
                }
                return true
            }
            let firstByte = SIMD16<UInt8>(repeating: needle[first])
            let secondByte = SIMD16<UInt8>(repeating: needle[second])
            // Letters are compared with bit 5 set on both sides: `A` and `a` agree, nothing else does.
            let firstFold = SIMD16<UInt8>(repeating: Self.isLetter(needle[first]) ? 0x20 : 0)
            let secondFold = SIMD16<UInt8>(repeating: Self.isLetter(needle[second]) ? 0x20 : 0)
            var position = start
            // Whole blocks: both loads stay inside the haystack.
            while position + 15 <= last {
                let a = base.loadUnaligned(fromByteOffset: position + first, as: SIMD16<UInt8>.self) | firstFold
                let b = base.loadUnaligned(fromByteOffset: position + second, as: SIMD16<UInt8>.self) | secondFold
                // Lanes where both agree are 0xFF; the mask read as two words (`any` is not a vector test).
                let both = unsafeBitCast((a .== firstByte) .& (b .== secondByte), to: SIMD2<UInt64>.self)
                if both[0] | both[1] != 0 {
                    for lane in 0..<16 where (lane < 8 ? both[0] : both[1]) >> UInt64(lane % 8 * 8) & 1 != 0 {
                        if matchesAt(position + lane) { return position + lane }
                    }
                }
                position += 16
            }
            while position <= last {
                if matchesAt(position) { return position }
                position += 1
            }
            return nil
        }
    }

    /// Offsets in the needle compared first: its least common byte, and its last byte (the end of
    /// a text is its most particular part: the `4711` of `GET /api/tickets/4711`), or the next
    /// least common when the last is the first.
    static func anchors(of needle: [UInt8]) -> (Int, Int) {
        let ranked = needle.indices.sorted { (rank(needle[$0]), $0) < (rank(needle[$1]), $1) }
        guard let first = ranked.first else { return (0, 0) }
        let last = needle.count - 1
        guard last == first || needle[last] == needle[first] else { return (first, last) }
        return (first, ranked.dropFirst().first(where: { needle[$0] != needle[first] }) ?? first)
    }

    /// How common a (lowercased) byte is in log text, rarest lowest: non-ASCII and rare
    /// punctuation, then letters by English frequency, digits, common punctuation, and space.
    static func rank(_ byte: UInt8) -> Int {
        if byte >= 0x80 { return 0 }
        if isLetter(byte) {
            // Rarest first.
            let order = Array("zqxjkvbpygfwmucldrhsnioate".utf8)
            return 10 + (order.firstIndex(of: byte) ?? 25)
        }
        switch byte {
        case UInt8(ascii: " "): return 60
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return 30 + Int(byte - UInt8(ascii: "0")) / 3
        case UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "\""),
            UInt8(ascii: ","):
            return 40
        default: return 5
        }
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a
    }

    /// Bytes the index's tokenizer keeps in words: ASCII letters and digits, and any non-ASCII byte.
    static func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
    }

    static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte
    }
}
