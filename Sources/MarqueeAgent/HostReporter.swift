import Foundation
import MarqueeCore

/// What an agent observes on its host each interval; each sample becomes one outbox batch.
public protocol HostReporter: Sendable {
    func sample(at time: Date) async -> [ReportRecord]
}

/// Applies the desired state the tower sends (the runtime driver; the deployment engine fills it).
public protocol DesiredStateApplier: Sendable {
    func apply(_ desired: DesiredState) async
    /// The tower refused this host's credential (revoked): forget key material.
    func credentialRefused() async
}

extension DesiredStateApplier {
    public func credentialRefused() async {}
}

/// How an agent learns its desired state.
public enum DesiredStateDelivery: Sendable {
    /// A long-poll held open next to the heartbeats (a real agent).
    case longPoll(waitSeconds: Int)
    /// Fetched when a heartbeat reply shows a new revision (thousands of simulated agents share one
    /// connection pool, so they do not hold requests open).
    case onHeartbeat
}

/// This machine's load average, available memory and free disk, from `/proc` and `statvfs`.
///
/// Container states join when the runtime driver lands (deployment engine).
public struct SystemReporter: HostReporter {
    /// The file system whose free space is reported (the agent's data directory).
    public let diskPath: String

    public init(diskPath: String) {
        self.diskPath = diskPath
    }

    public func sample(at time: Date) async -> [ReportRecord] {
        [.hostMetrics(HostMetricsReport(load1: Self.load1(), memoryAvailableBytes: Self.memoryAvailable(), diskFreeBytes: diskFree()), at: time)]
    }

    static func load1() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return 0 }
        return Double(text.split(separator: " ").first ?? "") ?? 0
    }

    static func memoryAvailable() -> Int64 {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kib = Int64(fields[1]) { return kib * 1024 }
        }
        return 0
    }

    func diskFree() -> Int64 {
        var stats = statvfs()
        guard statvfs(diskPath, &stats) == 0 else { return 0 }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }
}
