/// The second word index: sampled word suffixes, so a lone fragment (`c2a7be41d0c55`, an id
/// without its `req=`; `PointerException`) is found through an index although it may sit inside a
/// longer word, where the word index (whole words, word starts) can prove nothing.
///
/// Every word of at least ``minimumFragment`` characters is indexed again from every
/// ``stride``-th character on (`logSegmentSuffix`, same tokenizer and row ids as the word index),
/// as long as at least `minimumFragment - stride + 1` characters remain. A fragment of at least
/// `minimumFragment` characters at offset `o` of a word `w` is then found in one of two ways:
///
/// - `o` is 0: the fragment starts `w`, a prefix query on the word index (`"fragment"*`);
/// - else the first sampled position `p ≥ o` is less than `o + stride`, so `w[p...]` starts with
///   the fragment without its first `p - o` characters (fewer than `stride`), and that is at least
///   `minimumFragment - stride + 1` long: one of `stride` prefix queries on the suffix index.
///
/// Positions count Unicode scalars on both sides, so a word with non-ASCII letters is cut between
/// characters. Changing ``stride`` or ``minimumFragment`` changes what a chunk's suffix rows hold,
/// and a contentless index deletes by the very text it was given: it needs a new body version
/// (``LogChunkBody``: version 3 bodies have these rows).
public enum LogWordSuffixes {
    /// Characters between sampled suffix starts.
    public static let stride = 6
    /// The shortest fragment the suffix index answers (a shorter one reads chunks).
    public static let minimumFragment = 10
    /// The shortest suffix indexed (and the shortest prefix asked for).
    static let shortestSuffix = minimumFragment - stride + 1

    /// The suffix index's document for a word index document (one segment's messages): the sampled
    /// suffixes of its long words, separated by spaces; empty when it has none.
    public static func document(of text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var output: [UInt8] = []
            var position = 0
            while position < bytes.count {
                guard LogTextSearch.isWordByte(bytes[position]) else {
                    position += 1
                    continue
                }
                var end = position
                var characters = 0
                while end < bytes.count, LogTextSearch.isWordByte(bytes[end]) {
                    if !isContinuation(bytes[end]) { characters += 1 }
                    end += 1
                }
                if characters >= minimumFragment {
                    var character = 0
                    for at in position..<end where !isContinuation(bytes[at]) {
                        defer { character += 1 }
                        guard character > 0, character % stride == 0 else { continue }
                        guard characters - character >= shortestSuffix else { break }
                        output.append(contentsOf: bytes[at..<end])
                        output.append(0x20)
                    }
                }
                position = end
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// The FTS5 queries that find every segment where `fragment` (a run of word bytes, ASCII
    /// lowercased) may lie inside a word: on the word index (`"fragment"*`) and on the suffix index
    /// (`"fragment"* OR "ragment"* OR …`); nil when it is shorter than ``minimumFragment``.
    static func queries(for fragment: ArraySlice<UInt8>) -> (words: String, suffixes: String)? {
        let starts = fragment.indices.filter { !isContinuation(fragment[$0]) }
        guard starts.count >= minimumFragment else { return nil }
        func prefix(from start: Int) -> String { "\"" + String(decoding: fragment[start...], as: UTF8.self) + "\"*" }
        return (prefix(from: fragment.startIndex), starts.prefix(stride).map(prefix(from:)).joined(separator: " OR "))
    }

    /// A UTF-8 byte that continues a character.
    static func isContinuation(_ byte: UInt8) -> Bool {
        byte & 0xC0 == 0x80
    }
}
