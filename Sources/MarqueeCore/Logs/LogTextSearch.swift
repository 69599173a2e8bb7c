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
    public func matches(_ haystack: ArraySlice<UInt8>) -> Bool {
        let count = needle.count
        guard count > 0 else { return true }
        guard haystack.count >= count else { return false }
        return needle.withUnsafeBufferPointer { needle in
            haystack.withUnsafeBufferPointer { haystack in
                let first = needle[0]
                var position = 0
                let last = haystack.count - count
                while position <= last {
                    if Self.lowered(haystack[position]) == first {
                        var offset = 1
                        while offset < count, Self.lowered(haystack[position + offset]) == needle[offset] { offset += 1 }
                        if offset == count { return true }
                    }
                    position += 1
                }
                return false
            }
        }
    }

    /// Bytes the index's tokenizer keeps in words: ASCII letters and digits, and any non-ASCII byte.
    static func isWordByte(_ byte: UInt8) -> Bool {
        byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
    }

    static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte
    }
}
