import Foundation
import MarqueeCore

/// A source of host log lines (kernel ring buffer, system journal, syslog files). Each is
/// optional: ``availability()`` says whether it can be read on this host, and why not.
public protocol HostLogSource: Sendable {
    /// `kmsg`, `journal`, `syslog:/var/log/syslog`.
    var name: String { get }
    func availability() -> LogSourceAvailability
    /// Reads until cancelled, handing complete records to `emit` in order.
    func run(clock: any FleetClock, emit: @escaping @Sendable ([TimedLogEntry]) async -> Void) async throws
}

/// A record with the time it carries.
public struct TimedLogEntry: Sendable, Equatable {
    public var time: Date
    public var entry: LogEntry

    public init(time: Date, entry: LogEntry) {
        self.time = time
        self.entry = entry
    }
}

/// Whether a host log source can be read here.
public enum LogSourceAvailability: Sendable, Equatable, CustomStringConvertible {
    case available
    case unavailable(reason: String)

    public var description: String {
        switch self {
        case .available: "available"
        case .unavailable(let reason): "unavailable (\(reason))"
        }
    }
}

extension MultilineJoiner {
    /// ``push(_:readAt:)`` as ``TimedLogEntry`` values.
    mutating func timedPush(_ parsed: ParsedLogLine?, raw: String, readAt: Date) -> [TimedLogEntry] {
        push(parsed, raw: raw, readAt: readAt).map { TimedLogEntry(time: $0.time, entry: $0.entry) }
    }

    mutating func timedFlush() -> [TimedLogEntry] {
        flush().map { TimedLogEntry(time: $0.time, entry: $0.entry) }
    }
}

/// Splits bytes read in chunks into lines, keeping a partial last line for the next chunk.
struct LineSplitter {
    private var partial: [UInt8] = []
    /// A line longer than this is cut (the rest starts the next line).
    static let maximumLineBytes = 65_536

    mutating func push(_ data: Data) -> [String] {
        var lines: [String] = []
        for byte in data {
            if byte == UInt8(ascii: "\n") || partial.count >= Self.maximumLineBytes {
                lines.append(String(decoding: partial, as: UTF8.self))
                partial.removeAll(keepingCapacity: true)
                if byte != UInt8(ascii: "\n") { partial.append(byte) }
            } else {
                partial.append(byte)
            }
        }
        return lines
    }
}
