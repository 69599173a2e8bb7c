import Foundation
import MarqueeCore

#if canImport(Glibc)
    import Glibc
#endif

/// Kernel messages from `/dev/kmsg`, from the moment the agent starts (older ones are in the ring
/// buffer for `dmesg`). Records the kernel overwrote before they were read are counted from the
/// gap in its sequence numbers and reported as one `agent` line.
public struct KernelLogSource: HostLogSource {
    public let path: String
    public var name: String { "kmsg" }

    public init(path: String = "/dev/kmsg") {
        self.path = path
    }

    public func availability() -> LogSourceAvailability {
        do {
            _ = try KernelMessageReader(path: path, bootTime: Date())
            return .available
        } catch {
            return .unavailable(reason: "\(error)")
        }
    }

    public func run(clock: any FleetClock, emit: @escaping @Sendable ([TimedLogEntry]) async -> Void) async throws {
        let uptime = (try? String(contentsOfFile: "/proc/uptime", encoding: .utf8)) ?? ""
        let reader = try KernelMessageReader(path: path, bootTime: KernelMessageParser.bootTime(uptime: uptime, now: clock.now()) ?? clock.now())
        while !Task.isCancelled {
            let batch = reader.read(limit: 1_000, now: clock.now())
            if !batch.isEmpty { await emit(batch) }
            if batch.count < 1_000 { try await clock.sleep(for: .seconds(1)) }
        }
    }
}

/// `/dev/kmsg` opened without blocking, positioned at its end; each `read` returns one record.
public final class KernelMessageReader {
    private let descriptor: Int32
    private let bootTime: Date
    private var lastSequence: Int64?
    private var buffer = [UInt8](repeating: 0, count: 8_192)

    public struct OpenError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(path: String = "/dev/kmsg", bootTime: Date) throws {
        descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw OpenError(description: "\(path): \(String(cString: strerror(errno)))") }
        self.bootTime = bootTime
        lseek(descriptor, 0, SEEK_END)
    }

    deinit { close(descriptor) }

    /// The records written since the last read (at most `limit`).
    public func read(limit: Int, now: Date) -> [TimedLogEntry] {
        var batch: [TimedLogEntry] = []
        while batch.count < limit {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                let parsed = KernelMessageParser.parse(String(decoding: buffer[0..<count], as: UTF8.self), bootTime: bootTime, fallbackTime: now)
                if let sequence = parsed.sequence {
                    if let last = lastSequence, sequence > last + 1 { batch.append(Self.lost(sequence - last - 1, at: parsed.time ?? now)) }
                    lastSequence = sequence
                }
                batch.append(TimedLogEntry(time: parsed.time ?? now, entry: parsed.entry))
            } else if count < 0, errno == EPIPE {
                // The kernel overwrote records before they were read; the next one's sequence says how many.
                continue
            } else {
                break
            }
        }
        return batch
    }

    static func lost(_ count: Int64, at time: Date) -> TimedLogEntry {
        TimedLogEntry(
            time: time,
            entry: LogEntry(
                severity: .warning, layer: .agent, source: "agent",
                message: "\(count) kernel messages lost: the ring buffer wrapped before the agent read them"))
    }
}
