import Foundation

/// Parses records read from `/dev/kmsg`: `PRIORITY,SEQUENCE,MICROSECONDS,FLAGS[,…];MESSAGE`,
/// followed by continuation lines that start with a space (`SUBSYSTEM=…`, `DEVICE=…`).
///
/// The time is microseconds since boot; the caller gives the boot time (now − `/proc/uptime`).
/// A record that does not follow the format is kept whole as an `info` line at `fallbackTime`.
public enum KernelMessageParser {
    /// One record (as one `read` of `/dev/kmsg` returns it).
    public static func parse(_ record: String, bootTime: Date, fallbackTime: Date) -> ParsedLogLine {
        let text = record.hasSuffix("\n") ? String(record.dropLast()) : record
        let firstLine = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
        guard let semicolon = firstLine.firstIndex(of: ";") else { return raw(text, at: fallbackTime) }
        let fields = firstLine[..<semicolon].split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count >= 3, let priority = Int(fields[0]), let microseconds = Double(fields[2]) else { return raw(text, at: fallbackTime) }
        let message = Self.unescape(String(firstLine[firstLine.index(after: semicolon)...]))
        let entry = LogEntry(severity: LogSeverity(syslog: priority & 7), layer: .kernel, source: "kmsg", message: message)
        return ParsedLogLine(time: bootTime.addingTimeInterval(microseconds / 1_000_000), entry: entry, sequence: Int64(fields[1]))
    }

    /// `dmesg`-style escapes: the kernel writes non-printable bytes as `\xNN`.
    static func unescape(_ text: String) -> String {
        guard text.contains("\\x") else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.first {
            if byte == UInt8(ascii: "\\"), utf8.count >= 4, utf8[utf8.startIndex + 1] == UInt8(ascii: "x"),
                let value = UInt8(String(decoding: utf8[(utf8.startIndex + 2)..<(utf8.startIndex + 4)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(4)
            } else {
                bytes.append(byte)
                utf8 = utf8.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func raw(_ text: String, at time: Date) -> ParsedLogLine {
        ParsedLogLine(time: time, entry: LogEntry(severity: .info, layer: .kernel, source: "kmsg", message: text))
    }

    /// The boot time from `/proc/uptime`'s first field, or `nil` when it cannot be read.
    public static func bootTime(uptime: String, now: Date) -> Date? {
        guard let seconds = uptime.split(separator: " ").first.flatMap({ Double($0) }) else { return nil }
        return now.addingTimeInterval(-seconds)
    }
}

/// A line read from a host source, with the time it carried (`nil` when it had none or an
/// unreadable one: the collector then uses the previous line's time, or the time it was read).
public struct ParsedLogLine: Sendable, Equatable {
    public var time: Date?
    public var entry: LogEntry
    /// The source's own sequence number when it has one (`/dev/kmsg`), to notice lost records.
    public var sequence: Int64?

    public init(time: Date?, entry: LogEntry, sequence: Int64? = nil) {
        self.time = time
        self.entry = entry
        self.sequence = sequence
    }
}
