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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-o", "json", "--follow", "--lines=0", "--no-pager"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let (chunks, continuation) = AsyncStream.makeStream(of: Data.self, bufferingPolicy: .bufferingNewest(4_096))
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                continuation.finish()
            } else {
                continuation.yield(data)
            }
        }
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
            pipe.fileHandleForReading.readabilityHandler = nil
        }
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
