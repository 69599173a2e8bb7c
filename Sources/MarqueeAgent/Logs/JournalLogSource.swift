import Foundation
import MarqueeCore

/// The system journal, followed with `journalctl -o json --follow --lines=0` (new entries only)
/// while journald runs. Kernel lines that reach the journal too are skipped when `/dev/kmsg` is
/// read directly (`skipKernel`), so they are not stored twice.
public struct JournalLogSource: HostLogSource {
    public let executable: String?
    public let skipKernel: Bool
    public var name: String { "journal" }

    public init(skipKernel: Bool, executable: String? = JournalLogSource.find("journalctl")) {
        self.skipKernel = skipKernel
        self.executable = executable
    }

    public func availability() -> LogSourceAvailability {
        guard executable != nil else { return .unavailable(reason: "journalctl is not installed") }
        guard FileManager.default.fileExists(atPath: "/run/systemd/journal") else {
            return .unavailable(reason: "journald is not running (no /run/systemd/journal)")
        }
        return .available
    }

    public func run(clock: any FleetClock, emit: @escaping @Sendable ([TimedLogEntry]) async -> Void) async throws {
        guard let executable else { return }
        let process = try ChildProcess(
            executable: executable, arguments: ["-o", "json", "--follow", "--lines=0", "--no-pager"], standardOutput: .pipe)
        let (chunks, continuation) = AsyncStream.makeStream(of: Data.self, bufferingPolicy: .bufferingNewest(4_096))
        let reader = process.standardOutput
        reader?.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                continuation.finish()
            } else {
                continuation.yield(data)
            }
        }
        // journalctl runs until the source is stopped (or ends by itself); either way it is stopped
        // and reaped here.
        var failure: (any Error)?
        do { try await follow(chunks, continuation: continuation, emit: emit, clock: clock) } catch { failure = error }
        reader?.readabilityHandler = nil
        await process.stop(grace: .seconds(2))
        if let failure { throw failure }
    }

    private func follow(
        _ chunks: AsyncStream<Data>, continuation: AsyncStream<Data>.Continuation, emit: @escaping @Sendable ([TimedLogEntry]) async -> Void,
        clock: any FleetClock
    ) async throws {
        try await withTaskCancellationHandler {
            var splitter = LineSplitter()
            for await chunk in chunks {
                let records = splitter.push(chunk).compactMap(JournalRecordParser.parse).filter { !(skipKernel && $0.entry.layer == .kernel) }
                let now = clock.now()
                if !records.isEmpty { await emit(records.map { TimedLogEntry(time: $0.time ?? now, entry: $0.entry) }) }
            }
            try Task.checkCancellation()
        } onCancel: {
            continuation.finish()
        }
    }

    /// The first `name` on `PATH`.
    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
