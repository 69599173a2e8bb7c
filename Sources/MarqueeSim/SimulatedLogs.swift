import Foundation
import MarqueeCore

/// Log lines a simulated host writes: its containers' access logs, and — on a host slowed by a
/// scenario — the kernel scheduler and containerd messages that point at the cause.
enum SimulatedLogs {
    /// Chance per container and probe step (10 s) of an access-log line: about one a minute.
    static let appLineChance = 1.0 / 6
    /// On a slowed host, per probe step: a kernel line, and per container a runtime line.
    static let kernelLineChance = 0.3
    static let runtimeLineChance = 0.1

    /// Lines for one probe step of `container`, which answered in `latency` ms.
    static func lines(
        for container: ContainerInstance, latency: Double, slowed: Bool, random: inout SeededGenerator
    ) -> [LogEntry] {
        var lines: [LogEntry] = []
        let roll = Double.random(in: 0..<1, using: &random)
        if roll < appLineChance {
            let path = ["/api/health", "/api/v1/status", "/api/v1/sessions", "/metrics"][Int.random(in: 0..<4, using: &random)]
            let slow = latency > SimulatedRuntime.baseLatency(of: container.app) * 2.5
            lines.append(
                LogEntry(
                    severity: slow ? .warning : .info, layer: .app, source: "stdout",
                    message: slow
                        ? "slow request: GET \(path) took \(Int(latency.rounded())) ms (budget \(Int(SimulatedRuntime.baseLatency(of: container.app) * 2)) ms)"
                        : "GET \(path) 200 \((latency * 10).rounded() / 10)ms", container: container.id,
                    runtimeInstance: container.runtimeInstanceID))
        }
        if slowed, Double.random(in: 0..<1, using: &random) < runtimeLineChance {
            let throttled = Int.random(in: 40...400, using: &random)
            lines.append(
                LogEntry(
                    severity: .warning, layer: .runtime, source: "containerd",
                    message:
                        "level=warning msg=\"task cgroup cpu throttled\" id=\(container.runtimeInstanceID) nr_throttled=\(throttled) runtime=io.containerd.runc.v2",
                    container: container.id, runtimeInstance: container.runtimeInstanceID))
        }
        return lines
    }

    /// A kernel line on a slowed host for one probe step (or none).
    static func kernelLine(random: inout SeededGenerator) -> LogEntry? {
        guard Double.random(in: 0..<1, using: &random) < kernelLineChance else { return nil }
        let message =
            Bool.random(using: &random)
            ? "sched: RT throttling activated"
            : "hrtimer: interrupt took \(Int.random(in: 1_200_000...4_800_000, using: &random)) ns"
        return LogEntry(severity: .warning, layer: .kernel, source: "kmsg", message: message)
    }
}
