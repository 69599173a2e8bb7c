import Foundation
import MarqueeCore

/// Follows a syslog file (`/var/log/syslog`, `/var/log/messages`) from its end, RFC 3164 and
/// RFC 5424 lines alike, across rotation (a new file under the same name is read from its start)
/// and truncation. Lines without a syslog header continue the record before them.
public struct SyslogFileSource: HostLogSource {
    public let path: String
    public let timeZone: TimeZone
    public var name: String { "syslog:\(path)" }

    public init(path: String, timeZone: TimeZone = .current) {
        self.path = path
        self.timeZone = timeZone
    }

    public func availability() -> LogSourceAvailability {
        guard FileManager.default.fileExists(atPath: path) else { return .unavailable(reason: "\(path) does not exist") }
        guard FileManager.default.isReadableFile(atPath: path) else { return .unavailable(reason: "\(path) is not readable") }
        return .available
    }

    public func run(clock: any FleetClock, emit: @escaping @Sendable ([TimedLogEntry]) async -> Void) async throws {
        var tail = SyslogFileTail(path: path, timeZone: timeZone)
        while !Task.isCancelled {
            let records = tail.poll(now: clock.now())
            if !records.isEmpty { await emit(records) }
            try await clock.sleep(for: .seconds(1))
        }
    }
}

/// One syslog file read incrementally: each ``poll(now:)`` returns the records completed since
/// the last (a record still collecting continuation lines is completed by the next quiet poll).
public struct SyslogFileTail: Sendable {
    public let path: String
    let timeZone: TimeZone
    private var file: (inode: UInt64, size: UInt64)?
    private var offset: UInt64
    private var splitter = LineSplitter()
    private var joiner = MultilineJoiner(orphan: LogEntry(severity: .info, layer: .os, source: "syslog", message: ""))

    /// Starts at the file's current end (what is already there was written before the agent ran).
    public init(path: String, timeZone: TimeZone) {
        self.path = path
        self.timeZone = timeZone
        file = Self.identity(path)
        offset = file?.size ?? 0
    }

    public mutating func poll(now: Date) -> [TimedLogEntry] {
        var records: [TimedLogEntry] = []
        let current = Self.identity(path)
        if let current, current.inode != file?.inode || current.size < offset {
            // Rotated (a new file) or truncated: read the new one from its start.
            records += joiner.timedFlush()
            offset = 0
            splitter = LineSplitter()
        }
        file = current
        guard let current, current.size > offset, let handle = FileHandle(forReadingAtPath: path) else {
            return records + joiner.timedFlush()
        }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = (try? handle.read(upToCount: min(Int(current.size - offset), 4 << 20))) ?? Data()
        offset += UInt64(data.count)
        for line in splitter.push(data) where !line.isEmpty {
            records += joiner.timedPush(SyslogLineParser.parse(line, now: now, timeZone: timeZone), raw: line, readAt: now)
        }
        return records
    }

    static func identity(_ path: String) -> (inode: UInt64, size: UInt64)? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        return (inode, size)
    }
}
