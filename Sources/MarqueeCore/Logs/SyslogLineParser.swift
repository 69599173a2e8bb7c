import Foundation

/// Parses syslog file lines in the forms real hosts write:
///
/// - RFC 5424: `<34>1 2026-11-27T04:52:08.123Z host app 1234 ID47 [sd] message`
/// - RFC 3164 (BSD): `<34>Nov 27 04:52:08 host sshd[1234]: message`, usually without `<PRI>` in files
/// - rsyslog's high-precision default: `2026-11-27T04:52:08.123456+00:00 host sshd[1234]: message`
///
/// A line with a header but an impossible time (`Feb 31 25:61:00`) keeps its message and has no
/// time. A line with no header at all returns `nil`: it continues the previous record (a stack
/// trace, a wrapped message), which ``MultilineJoiner`` appends to it.
public enum SyslogLineParser {
    /// - Parameters:
    ///   - now: BSD timestamps carry no year: the one that puts the time at most a day ahead of now.
    ///   - timeZone: the host's zone, for BSD timestamps (they carry none either).
    public static func parse(_ line: String, now: Date, timeZone: TimeZone) -> ParsedLogLine? {
        var scanner = Substring(line)
        var priority: Int?
        if scanner.first == "<", let close = scanner.prefix(5).firstIndex(of: ">"),
            let value = Int(scanner[scanner.index(after: scanner.startIndex)..<close]),
            (0...191).contains(value)
        {
            priority = value
            scanner = scanner[scanner.index(after: close)...]
        }
        var time: Date?
        var hasHeader = false
        if scanner.hasPrefix("1 ") {
            // RFC 5424: VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]
            scanner = scanner.dropFirst(2)
            let stamp = token(&scanner)
            time = stamp == "-" ? nil : RFC3339.parse(stamp)
            _ = token(&scanner)
            let app = token(&scanner)
            _ = token(&scanner)
            _ = token(&scanner)
            skipStructuredData(&scanner)
            var message = String(scanner)
            if message.hasPrefix("\u{FEFF}") { message.removeFirst() }
            return ParsedLogLine(time: time, entry: entry(app: app == "-" ? nil : String(app), message: message, priority: priority))
        }
        if let first = scanner.first, first.isNumber, scanner.count >= 19, scanner[scanner.index(scanner.startIndex, offsetBy: 4)] == "-" {
            let stamp = token(&scanner)
            time = RFC3339.parse(stamp)
            hasHeader = true
        } else if let (parsed, rest) = bsdTimestamp(scanner, now: now, timeZone: timeZone) {
            time = parsed
            scanner = rest
            hasHeader = true
        }
        guard hasHeader || priority != nil else { return nil }
        if hasHeader { _ = token(&scanner) }  // the host name
        let (tag, message) = splitTag(scanner)
        return ParsedLogLine(time: time, entry: entry(app: tag, message: message, priority: priority))
    }

    static func entry(app: String?, message: String, priority: Int?) -> LogEntry {
        let layer: LogLayer =
            if app == "kernel" {
                .kernel
            } else if let app, JournalRecordParser.runtimeIdentifiers.contains(app) || app.hasPrefix("containerd") {
                .runtime
            } else {
                .os
            }
        return LogEntry(
            severity: priority.map { LogSeverity(syslog: $0 & 7) } ?? .info, layer: layer, source: app ?? "syslog", message: message)
    }

    /// Takes the next space-separated token and the spaces after it.
    static func token(_ scanner: inout Substring) -> Substring {
        let end = scanner.firstIndex(of: " ") ?? scanner.endIndex
        let value = scanner[..<end]
        scanner = scanner[end...].drop { $0 == " " }
        return value
    }

    static func skipStructuredData(_ scanner: inout Substring) {
        if scanner.hasPrefix("-") {
            scanner = scanner.dropFirst().drop { $0 == " " }
            return
        }
        // Elements are [id key="value" …]; values escape `]` as `\]`.
        while scanner.first == "[" {
            var escaped = false
            var index = scanner.index(after: scanner.startIndex)
            while index < scanner.endIndex {
                let character = scanner[index]
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "]" {
                    break
                }
                index = scanner.index(after: index)
            }
            scanner = index < scanner.endIndex ? scanner[scanner.index(after: index)...] : scanner[scanner.endIndex...]
        }
        scanner = scanner.drop { $0 == " " }
    }

    /// `sshd[1234]: message` → (`sshd`, `message`); `kernel: message` → (`kernel`, `message`).
    static func splitTag(_ scanner: Substring) -> (String?, String) {
        guard let colon = scanner.prefix(64).firstIndex(of: ":") else { return (nil, String(scanner)) }
        var tag = scanner[..<colon]
        guard !tag.isEmpty, !tag.contains(" ") else { return (nil, String(scanner)) }
        if let bracket = tag.firstIndex(of: "[") { tag = tag[..<bracket] }
        return (String(tag), String(scanner[scanner.index(after: colon)...].drop { $0 == " " }))
    }

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Nov 27 04:52:08 ` or `Nov  7 04:52:08 `: the time (nil when impossible) and what follows; nil when not a BSD header.
    static func bsdTimestamp(_ scanner: Substring, now: Date, timeZone: TimeZone) -> (Date?, Substring)? {
        let characters = Array(scanner.prefix(16))
        guard characters.count == 16, characters[3] == " ", characters[6] == " ", characters[9] == ":", characters[12] == ":",
            characters[15] == " ", let month = months.firstIndex(of: String(characters[0..<3]))
        else { return nil }
        let rest = scanner.dropFirst(16)
        guard let day = Int(String(characters[4...5]).trimmingCharacters(in: .whitespaces)), let hour = Int(String(characters[7...8])),
            let minute = Int(String(characters[10...11])), let second = Int(String(characters[13...14]))
        else { return (nil, rest) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let year = calendar.component(.year, from: now)
        for candidate in [year, year - 1] {
            let components = DateComponents(year: candidate, month: month + 1, day: day, hour: hour, minute: minute, second: second)
            guard components.isValidDate(in: calendar), (0..<24).contains(hour), (0..<60).contains(minute), (0...60).contains(second),
                let date = calendar.date(from: components)
            else { return (nil, rest) }
            if date.timeIntervalSince(now) <= 86_400 { return (date, rest) }
        }
        return (nil, rest)
    }
}

/// RFC 3339 timestamps (`2026-11-27T04:52:08.123456+00:00`, `…Z`), parsed without a formatter.
public enum RFC3339 {
    public static func parse(_ text: Substring) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]), let hour = number(bytes[11..<13]),
            let minute = number(bytes[14..<16]), let second = number(bytes[17..<19])
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, let digit = digit(bytes[index]) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
        }
        guard index < bytes.count else { return nil }
        var offset = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard bytes.count - index == 6, let hours = number(bytes[(index + 1)..<(index + 3)]), bytes[index + 3] == UInt8(ascii: ":"),
                let minutes = number(bytes[(index + 4)..<(index + 6)])
            else { return nil }
            offset = (hours * 3_600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard components.isValidDate(in: calendar), hour < 24, minute < 60, second <= 60, let date = calendar.date(from: components) else {
            return nil
        }
        return date.addingTimeInterval(fraction - Double(offset))
    }

    static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }

    static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard let digit = digit(byte) else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
