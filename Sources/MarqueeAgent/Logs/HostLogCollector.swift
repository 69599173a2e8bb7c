import Foundation
import Logging
import MarqueeCore

/// Reads the host's log sources (kernel, journal, syslog files) and hands their lines to each
/// report. Lines wait in a bounded buffer: past ``bufferLimit`` (a flood, or a long tower outage
/// with a slow outbox) new lines are dropped and counted, and the next report says how many, per
/// source, in an `agent` line. Nothing blocks the agent.
public actor HostLogCollector: HostReporter {
    public let sources: [any HostLogSource]
    private let clock: any FleetClock
    private let logger: Logger
    private var buffer: [TimedLogEntry] = []
    private var dropped: [String: Int] = [:]
    private var tasks: [Task<Void, Never>] = []
    /// Each source's availability, as found by ``start()``.
    public private(set) var statuses: [(name: String, availability: LogSourceAvailability)] = []

    /// Lines waiting at most.
    public static let bufferLimit = 10_000
    /// Bytes of host log messages one report carries at most (the rest waits for the next).
    public static let bytesPerReport = 512 * 1_024
    /// Longest message shipped (a joined stack trace included); longer ones are cut.
    public static let maximumLineBytes = 4_096

    public init(sources: [any HostLogSource], clock: any FleetClock, logger: Logger) {
        self.sources = sources
        self.clock = clock
        self.logger = logger
    }

    /// Starts every available source and queues one `agent` line that says which are read (none
    /// when no source was asked for).
    public func start() {
        guard tasks.isEmpty, !sources.isEmpty else { return }
        statuses = sources.map { ($0.name, $0.availability()) }
        for (source, status) in zip(sources, statuses) {
            logger.notice("Host log source \(status.name): \(status.availability)")
            guard status.availability == .available else { continue }
            let name = source.name
            let clock = clock
            let logger = logger
            tasks.append(
                Task {
                    do {
                        try await source.run(clock: clock) { records in await self.accept(records, from: name) }
                    } catch is CancellationError {
                    } catch {
                        logger.warning("Host log source \(name) stopped", metadata: ["error": "\(error)"])
                    }
                })
        }
        let summary = statuses.map { "\($0.name) \($0.availability)" }.joined(separator: ", ")
        buffer.append(
            TimedLogEntry(
                time: clock.now(),
                entry: LogEntry(severity: .info, layer: .agent, source: "agent", message: "host log sources: \(summary)")))
    }

    public func stop() {
        tasks.forEach { $0.cancel() }
        tasks = []
    }

    /// Takes lines from a source; past the buffer's limit they are counted as dropped.
    public func accept(_ records: [TimedLogEntry], from source: String) {
        let room = max(0, Self.bufferLimit - buffer.count)
        buffer.append(contentsOf: records.prefix(room))
        if records.count > room { dropped[source, default: 0] += records.count - room }
    }

    public func sample(at time: Date) async -> [ReportRecord] {
        var records: [ReportRecord] = []
        var bytes = 0
        var taken = 0
        for line in buffer {
            var entry = line.entry
            entry.message = LogText.cut(entry.message, to: Self.maximumLineBytes)
            bytes += entry.message.utf8.count + 96
            guard bytes <= Self.bytesPerReport || taken == 0 else { break }
            records.append(.log(entry, at: line.time))
            taken += 1
        }
        buffer.removeFirst(taken)
        for (source, count) in dropped.sorted(by: { $0.key < $1.key }) {
            records.append(
                .log(
                    LogEntry(
                        severity: .warning, layer: .agent, source: "agent",
                        message: "\(count) lines dropped from \(source): more than \(Self.bufferLimit) lines were waiting to be reported"),
                    at: time))
        }
        dropped = [:]
        return records
    }
}

/// Reporters whose samples go in one batch (the host's metrics and its log lines).
public struct CombinedReporter: HostReporter {
    public let reporters: [any HostReporter]

    public init(_ reporters: [any HostReporter]) {
        self.reporters = reporters
    }

    public func sample(at time: Date) async -> [ReportRecord] {
        var records: [ReportRecord] = []
        for reporter in reporters { records += await reporter.sample(at: time) }
        return records
    }
}
