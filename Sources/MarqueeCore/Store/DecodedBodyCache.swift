import Synchronization

/// The last decoded value of each JSON body the store keeps whole (an upgrade plan's state),
/// reused while the stored text is byte-for-byte the one it was decoded from or encoded to.
///
/// A 750-theater plan is a few hundred kilobytes of JSON that every tick reads and writes; decoding
/// it twice per tick was most of the tick. Comparing the text is a memory compare, and whoever wrote
/// the row last (another process, a CLI on the same file) is seen at once: a different text is
/// decoded as before.
final class DecodedBodyCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (text: String, value: Value)]>([:])

    /// `value` for `key` if `text` is what it was decoded from; otherwise `decode(text)`, remembered.
    func value(for key: String, text: String, decode: (String) throws -> Value) rethrows -> Value {
        if let hit = entries.withLock({ entries in entries[key].flatMap { $0.text == text ? $0.value : nil } }) { return hit }
        let value = try decode(text)
        remember(value, text: text, for: key)
        return value
    }

    /// Records that `text` (just written for `key`) holds `value`.
    func remember(_ value: Value, text: String, for key: String) {
        entries.withLock { $0[key] = (text, value) }
    }
}
