import Foundation

/// What to read from the log store; every field narrows the result.
public struct LogQuery: Codable, Sendable, Hashable {
    public var siteID: String?
    public var hostID: String?
    public var container: String?
    public var app: String?
    /// Only lines of this tenant's containers (what an application owner's token is held to).
    public var tenant: String?
    public var layers: [LogLayer]?
    public var minimumSeverity: LogSeverity?
    public var since: Date?
    public var until: Date?
    /// Text the message must contain, ignoring ASCII case (``LogTextSearch``: the word index narrows
    /// the chunks read when the text holds a whole word or a word start).
    public var text: String?
    /// Only lines after this id (following).
    public var afterID: Int64?
    public var limit: Int

    public init(
        siteID: String? = nil, hostID: String? = nil, container: String? = nil, app: String? = nil, layers: [LogLayer]? = nil,
        minimumSeverity: LogSeverity? = nil, since: Date? = nil, until: Date? = nil, text: String? = nil, afterID: Int64? = nil, limit: Int = 200
    ) {
        self.siteID = siteID
        self.hostID = hostID
        self.container = container
        self.app = app
        self.tenant = nil
        self.layers = layers
        self.minimumSeverity = minimumSeverity
        self.since = since
        self.until = until
        self.text = text
        self.afterID = afterID
        self.limit = limit
    }

    /// This query narrowed to what an application owner may read: its own containers' app-layer
    /// lines (runtime, OS and kernel lines are the site provider's); `nil` when the query asked
    /// only for layers it may not read.
    public func scoped(toApplicationOwner tenantID: String) -> LogQuery? {
        var query = self
        query.tenant = tenantID
        query.layers = (layers ?? [.app]).filter { $0 == .app }
        return query.layers?.isEmpty == false ? query : nil
    }

    func validate() throws(LogQueryError) {
        guard (1...10_000).contains(limit) else { throw .invalid(field: "limit", reason: "must be 1…10000") }
        if let since, let until, since >= until { throw .invalid(field: "since", reason: "must be before until") }
        if let text, text.isEmpty { throw .invalid(field: "grep", reason: "must not be empty") }
    }
}

/// A container's lines interleaved with its host's runtime, OS and kernel lines around a moment,
/// and the same infrastructure messages on other hosts.
public struct LogCorrelation: Codable, Sendable, Equatable {
    /// Other hosts that logged a similar infrastructure line in the window, per kernel and runtime.
    public struct Elsewhere: Codable, Sendable, Equatable {
        /// The message with numbers and ids replaced by `#`.
        public var pattern: String
        public var layer: LogLayer
        public var kernel: String
        public var runtime: String
        public var hosts: Int
        public var exampleHost: String
    }

    public var container: String
    public var hostID: String
    public var kernel: String
    public var runtime: String
    public var at: Date
    public var window: TimeInterval
    /// Oldest first; each line carries its layer.
    public var timeline: [LogLine]
    public var elsewhere: [Elsewhere]
}

/// A log query that cannot be answered as asked.
public enum LogQueryError: Error, Sendable, Equatable, CustomStringConvertible, InputError {
    case invalid(field: String, reason: String)
    case unknownContainer(String)
    case unknownSubject(String)

    public var description: String {
        switch self {
        case .invalid(let field, let reason): "\(field) \(reason)"
        case .unknownContainer(let id): "no container \(id); `marquee host show HOST` lists a host's containers"
        case .unknownSubject(let id): "no container or host \(id); `marquee hosts` lists hosts, `marquee host show HOST` their containers"
        }
    }
}

/// Turns a message into a pattern that matches the same message from another host or moment.
public enum LogPattern {
    /// Words with a digit in them (numbers, hex ids, pids, versions) become `#`:
    /// `hrtimer: interrupt took 2456 ns` → `hrtimer: interrupt took # ns`,
    /// `shim disconnected id=4f2a9c` → `shim disconnected id=#`. Only the first 200 bytes count.
    ///
    /// A word is a run of ASCII letters and digits and non-ASCII characters (as the log store's word
    /// index splits them); everything else is kept as it is. Every kernel and runtime line at ingest
    /// goes through this, so it works on UTF-8 bytes.
    public static func of(_ message: String) -> String {
        var message = message
        return message.withUTF8 { utf8 in
            var end = min(utf8.count, 200)
            while end < utf8.count, end > 0, utf8[end] & 0xC0 == 0x80 { end -= 1 }  // not inside a character
            var result: [UInt8] = []
            result.reserveCapacity(end)
            var wordStart = -1
            var wordHasDigit = false
            func endWord(at position: Int) {
                guard wordStart >= 0 else { return }
                if wordHasDigit {
                    result.append(UInt8(ascii: "#"))
                } else {
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[wordStart..<position]))
                }
                wordStart = -1
                wordHasDigit = false
            }
            for position in 0..<end {
                let byte = utf8[position]
                let isDigit = byte >= 0x30 && byte <= 0x39
                if isDigit || byte >= 0x80 || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a) {
                    if wordStart < 0 { wordStart = position }
                    if isDigit { wordHasDigit = true }
                } else {
                    endWord(at: position)
                    result.append(byte)
                }
            }
            endWord(at: end)
            return String(decoding: result, as: UTF8.self)
        }
    }
}
