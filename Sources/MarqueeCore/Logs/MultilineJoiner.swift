import Foundation

/// Joins continuation lines (stack traces, wrapped messages) to the record they belong to, and
/// gives every record a time: its own, else the previous record's, else the time it was read.
///
/// Feed lines in order with ``push(_:readAt:)``; a record is complete when the next one starts
/// (or on ``flush()``, which a tailing source calls when the input goes quiet). Nothing is
/// dropped: a continuation with no record before it becomes a record of its own.
public struct MultilineJoiner: Sendable {
    /// A joined record stops growing at this many lines or bytes (the rest starts a new one).
    public static let maximumLines = 200
    public static let maximumBytes = 16_384

    private var pending: (time: Date, entry: LogEntry, lines: Int)?
    private var lastTime: Date?
    /// What a continuation with no record before it is filed as.
    private let orphan: LogEntry

    public init(orphan: LogEntry) {
        self.orphan = orphan
    }

    /// One line: `parsed` is what the source's parser made of it, `nil` when it is a continuation.
    public mutating func push(_ parsed: ParsedLogLine?, raw: String, readAt: Date) -> [(time: Date, entry: LogEntry)] {
        if let parsed {
            let time = parsed.time ?? lastTime ?? readAt
            lastTime = time
            let finished = flush()
            pending = (time, parsed.entry, 1)
            return finished
        }
        if var current = pending, current.lines < Self.maximumLines, current.entry.message.utf8.count + raw.utf8.count < Self.maximumBytes {
            current.entry.message += "\n" + raw
            current.lines += 1
            pending = current
            return []
        }
        let finished = flush()
        var entry = orphan
        entry.message = raw
        pending = (lastTime ?? readAt, entry, 1)
        return finished
    }

    /// Completes the record being joined, if any.
    public mutating func flush() -> [(time: Date, entry: LogEntry)] {
        guard let current = pending else { return [] }
        pending = nil
        return [(current.time, current.entry)]
    }

    /// Whether a line of container output continues the previous one: indented (`\tat …`,
    /// `  File "…"`), or a Java `Caused by:` / `... 12 more`.
    public static func isContinuation(_ line: String) -> Bool {
        guard let first = line.first else { return false }
        return first == " " || first == "\t" || line.hasPrefix("Caused by:") || line.hasPrefix("...")
    }
}
