import Foundation

/// Parses `journalctl -o json` lines: one JSON object per line with `__REALTIME_TIMESTAMP`
/// (microseconds since the epoch, as a string), `PRIORITY`, `MESSAGE` (a string, or an array of
/// bytes when it was not valid UTF-8), `SYSLOG_IDENTIFIER`, `_COMM`, `_SYSTEMD_UNIT`, `_TRANSPORT`.
///
/// Kernel lines (`_TRANSPORT=kernel`) are layer `kernel`; container runtimes' units are `runtime`;
/// the rest is `os`. Missing fields get defaults; a line that is not JSON is kept as it was read.
public enum JournalRecordParser {
    /// Identifiers of container runtimes and their helpers.
    static let runtimeIdentifiers: Set<String> = ["containerd", "dockerd", "docker", "podman", "conmon", "crio", "runc", "crun", "containerd-shim"]

    /// One line of `journalctl -o json`; `nil` for a blank line.
    public static func parse(_ line: String) -> ParsedLogLine? {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
            return ParsedLogLine(time: nil, entry: LogEntry(severity: .info, layer: .os, source: "journal", message: trimmed))
        }
        let identifier = string(object["SYSLOG_IDENTIFIER"]) ?? string(object["_COMM"]) ?? unitName(string(object["_SYSTEMD_UNIT"]))
        let transport = string(object["_TRANSPORT"])
        let layer: LogLayer =
            if transport == "kernel" {
                .kernel
            } else if let identifier, runtimeIdentifiers.contains(identifier) || identifier.hasPrefix("containerd") {
                .runtime
            } else {
                .os
            }
        let severity = string(object["PRIORITY"]).flatMap { Int($0) }.map { LogSeverity(syslog: $0) } ?? .info
        let time = string(object["__REALTIME_TIMESTAMP"]).flatMap { Double($0) }.map { Date(timeIntervalSince1970: $0 / 1_000_000) }
        let source = transport == "kernel" ? "kmsg" : (identifier ?? "journal")
        let entry = LogEntry(severity: severity, layer: layer, source: source, message: message(object["MESSAGE"]))
        return ParsedLogLine(time: time, entry: entry)
    }

    /// Journal field values are strings, numbers, byte arrays or null.
    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String: text
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }

    static func message(_ value: Any?) -> String {
        switch value {
        case let text as String:
            return text
        case let bytes as [Any]:
            let raw = bytes.compactMap { ($0 as? NSNumber).map { UInt8(truncatingIfNeeded: $0.intValue) } }
            return String(decoding: raw, as: UTF8.self)
        case let number as NSNumber:
            return number.stringValue
        default:
            return ""
        }
    }

    static func unitName(_ unit: String?) -> String? {
        guard let unit else { return nil }
        return unit.hasSuffix(".service") ? String(unit.dropLast(".service".count)) : unit
    }
}
