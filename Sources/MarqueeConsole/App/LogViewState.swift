import Foundation
import MarqueeCore

/// The Logs view: lines of one scope (the fleet, a theater, a host, a container) over a time
/// preset or an absolute range, optionally filtered by text, followed live or paused.
public struct LogView: Sendable, Equatable {
    /// `fleet`, `site:ID`, `host:ID`, `container:ID` (the screen's argument).
    public var scope: String
    /// Text every line must contain (searched by the tower's index).
    public var text: String?
    /// How far back from now, when no absolute range is set.
    public var preset: TimeInterval = 900
    /// An absolute range (`:range FROM [UNTIL]`), replacing the preset.
    public var from: Date?
    public var until: Date?
    public var following = false
    public var showTime = true
    public var wrap = false
    /// Oldest first; at most ``keep``.
    public var lines: [LogLine] = []
    public var loaded = false

    /// Lines kept in the view (following drops the oldest).
    public static let keep = 5_000
    /// The presets on keys 1…5.
    public static let presets: [TimeInterval] = [60, 300, 900, 3_600, 86_400]

    public init(scope: String, text: String? = nil) {
        self.scope = scope
        self.text = text
    }

    /// The query for a fresh read (newest `limit` lines in the range), or for what came after
    /// the last line shown when following.
    public func query(now: Date, following: Bool = false) -> LogQuery {
        var query = LogQuery()
        let parts = scope.split(separator: ":", maxSplits: 1).map(String.init)
        switch (parts.first, parts.count > 1 ? parts[1] : nil) {
        case ("site", let id?): query.siteID = id
        case ("host", let id?): query.hostID = id
        case ("container", let id?): query.container = id
        default: break
        }
        query.text = text
        if following, let last = lines.last {
            query.afterID = last.id
        } else {
            query.since = from ?? now.addingTimeInterval(-preset)
            query.until = until
        }
        query.limit = 1_000
        return query
    }

    /// What the header says: `host se-sto-001-h2 · last 15m · "throttl" · following`.
    public var summary: String {
        let range: String
        if let from {
            range = "\(Self.clock(from)) → \(until.map(Self.clock) ?? "now")"
        } else {
            range = "last \(RelativeDuration.format(preset))"
        }
        let what = scope == "fleet" ? "the fleet" : scope.replacingOccurrences(of: ":", with: " ")
        return ([what, range] + (text.map { ["\"\($0)\""] } ?? []) + [following ? "following" : "paused"]).joined(separator: " · ")
    }

    static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
