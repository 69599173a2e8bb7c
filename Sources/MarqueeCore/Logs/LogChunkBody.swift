import Foundation

/// The lines of one log chunk (one host's lines from one report) in a compact binary form.
///
/// The log store keeps lines in chunks rather than one row each: a row per line with its indexes
/// and a full-text entry costs SQLite about 8,000 lines/s on this class of machine, a chunk of a
/// thousand lines costs one row. The layout:
///
/// - version byte `3` (`2`: the same layout, from before the suffix index, ``LogWordSuffixes``,
///   so its segments have no rows there; `1`: chunks the v18 migration made, with the string table
///   first, then the line count, and no segment table);
/// - the line count, and the segment table: lines per segment (``LogChunkBody/segmentLines``),
///   then for each segment the offset of its first line from the body's start, as a little-endian
///   `UInt32`. The word index holds each segment's words, so a rare text reads only the start of a
///   body and the segments that may hold it (``LogChunkBody/Head``);
/// - a string table: count, then each string as length + UTF-8 (sources, containers, runtime
///   instances, tenants, apps, services — repeated on most lines, so stored once);
/// - the lines: per line its index in the chunk (line ids are the chunk id shifted
///   left by ``LogChunkBody/indexBits`` plus this index, kept when a chunk is trimmed), the time as
///   the bits of a `Double`, severity, layer, string-table references (+1, 0 for none) for source,
///   container, runtime instance, tenant, app and service, and the message as length + UTF-8.
///
/// Integers are LEB128 varints. ``LogChunkBody/Reader`` reads the headers of every line without
/// creating strings; messages become `String`s only for lines a query returns.
public enum LogChunkBody {
    /// Bits of a line id that hold the line's index in its chunk.
    public static let indexBits = 20
    /// Most lines in one chunk (longer reports are split).
    public static let maximumLines = 1 << indexBits
    /// Lines per segment: the unit the word index knows (version 2 bodies).
    public static let segmentLines = 64
    /// Bits of a word-index row id (`logSegmentText`) that hold the segment's number in its chunk.
    public static let segmentBits = 14
    /// Seconds of log time one chunk covers at most: a report's lines are split at multiples of
    /// this (`floor(time / span)`), so every chunk's newest line is less than this after its
    /// oldest, and a time range `[from, to]` is an index range `maxTime ∈ [from, to + span)`.
    public static let timeSpan: Double = 300

    /// The span bucket a time falls in.
    public static func bucket(_ time: Double) -> Double { (time / timeSpan).rounded(.down) }

    /// One line as the chunk stores it.
    public struct Line: Sendable, Equatable {
        public var index: Int
        public var time: Double
        public var severity: LogSeverity
        public var layer: LogLayer
        public var source: String
        public var message: String
        public var container: String?
        public var runtimeInstance: String?
        public var tenant: String?
        public var app: String?
        public var service: String?

        public init(
            index: Int, time: Double, severity: LogSeverity, layer: LogLayer, source: String, message: String, container: String? = nil,
            runtimeInstance: String? = nil, tenant: String? = nil, app: String? = nil, service: String? = nil
        ) {
            self.index = index
            self.time = time
            self.severity = severity
            self.layer = layer
            self.source = source
            self.message = message
            self.container = container
            self.runtimeInstance = runtimeInstance
            self.tenant = tenant
            self.app = app
            self.service = service
        }
    }

    static let severities = LogSeverity.allCases
    static let layers = LogLayer.allCases

    /// The bytes of `lines`, each with its own index (``LogChunkBuilder`` writes them), in the
    /// version 1 layout (the v18 migration's, with one word-index document per chunk) unless `segmented`.
    public static func encode(_ lines: [Line], segmented: Bool = false) -> [UInt8] {
        var builder = LogChunkBuilder(segmented: segmented)
        for line in lines { builder.append(line) }
        return builder.body()
    }

    /// Adds a line's message to the text the word index is given for a chunk (one message per
    /// line). Deleting from the contentless index needs the very same text, so both go through this.
    public static func appendToDocument(_ message: String, _ document: inout String) {
        document += message
        document += "\n"
    }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    static func appendString(_ value: String, to bytes: inout [UInt8]) {
        var value = value
        value.withUTF8 { utf8 in
            appendVarint(UInt64(utf8.count), to: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }
}

/// A chunk body that cannot be read (written by a newer Marquee, or damaged).
public struct LogChunkBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String

    public var description: String { "a stored log chunk cannot be read: \(reason)" }
}
