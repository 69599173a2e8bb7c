import Foundation

/// A log search: "the message contains this text", ignoring ASCII case.
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
/// cannot use the index; the store then reads the chunks in the query's other bounds (references,
/// time), newest first, until it has enough lines. Every candidate line is checked against the
/// text itself, so the index only ever skips chunks, never changes the answer.
public struct LogTextSearch: Sendable, Equatable {
    /// The text, ASCII-lowercased, as UTF-8.
    let needle: [UInt8]
    /// The FTS5 expression of the words the text proves, or nil when it proves none.
    public let indexExpression: String?

    public init(_ text: String) {
        needle = Array(text.utf8).map(Self.lowered)
        var terms: [String] = []
        var start: Int?
        for position in 0...needle.count {
            let isWord = position < needle.count && Self.isWordByte(needle[position])
            if isWord, start == nil { start = position }
            if !isWord, let begin = start {
                start = nil
                guard begin > 0 else { continue }  // it may end a longer word of the line
                let word = String(decoding: needle[begin..<position], as: UTF8.self)
                terms.append(position < needle.count ? "\"\(word)\"" : "\"\(word)\"*")
            }
        }
        var seen = Set<String>()
        terms = terms.filter { seen.insert($0).inserted }
        indexExpression = terms.isEmpty ? nil : terms.joined(separator: " AND ")
    }

    /// Whether `haystack` (UTF-8) contains the text, ignoring ASCII case.
    ///
    /// `memchr` finds each place the text's first caseless byte (a digit, punctuation, non-ASCII)
    /// could sit, or both cases of its first letter when it has only letters; the rest is
    /// compared there. A chunk's bytes are scanned this way before any line is decoded.
    public func matches(_ haystack: ArraySlice<UInt8>) -> Bool {
        let count = needle.count
        guard count > 0 else { return true }
        guard haystack.count >= count else { return false }
        return needle.withUnsafeBufferPointer { needle in
            haystack.withUnsafeBufferPointer { haystack in
                let base = haystack.baseAddress!
                let last = haystack.count - count  // the last possible start
                func matchesAt(_ start: Int) -> Bool {
                    guard start >= 0, start <= last else { return false }
                    for offset in 0..<count where Self.lowered(base[start + offset]) != needle[offset] { return false }
                    return true
                }
                if let anchor = Self.anchor(in: needle) {
                    let byte = Int32(needle[anchor])
                    var position = anchor
                    while position <= last + anchor,
                        let found = memchr(base + position, byte, last + anchor - position + 1)
                    {
                        let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                        if matchesAt(at - anchor) { return true }
                        position = at + 1
                    }
                    return false
                }
                // Only letters: the next place of either case of the first one.
                let lower = Int32(needle[0])
                let upper = Int32(needle[0] & ~0x20)
                var nextLower = -1
                var nextUpper = -1
                func find(_ byte: Int32, from position: Int) -> Int {
                    memchr(base + position, byte, last - position + 1).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
                        ?? Int.max
                }
                var position = 0
                while position <= last {
                    if nextLower < position { nextLower = find(lower, from: position) }
                    if nextUpper < position { nextUpper = find(upper, from: position) }
                    let at = min(nextLower, nextUpper)
                    guard at <= last else { return false }
                    if matchesAt(at) { return true }
                    position = at + 1
                }
                return false
            }
        }
    }

    /// Where in `needle` the caseless byte least common in log text sits (nil: only letters).
    /// Rarest first: other punctuation and non-ASCII, then `/ . = : - " ,`, then digits, then space.
    static func anchor(in needle: UnsafeBufferPointer<UInt8>) -> Int? {
        func rank(_ byte: UInt8) -> Int {
            switch byte {
            case UInt8(ascii: " "): 4
            case UInt8(ascii: "0")...UInt8(ascii: "9"): 3
            case UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "\""),
                UInt8(ascii: ","):
                2
            default: 1
            }
        }
        var best: (index: Int, rank: Int)?
        for (index, byte) in needle.enumerated() where !isLetter(byte) {
            let rank = rank(byte)
            if best == nil || rank < best!.rank { best = (index, rank) }
        }
        return best?.index
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
