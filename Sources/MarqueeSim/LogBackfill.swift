import Foundation
import MarqueeCore

/// Log history for a freshly generated fleet, written in bulk before the agents start, so the Logs
/// view, `marquee logs --since 1h`, search and correlation have lines from a demo's first minute.
///
/// It is what the live simulator would have written over the last `minutes`: every running
/// container's access lines (about one a minute, slow requests as warnings) from the same latency
/// model, with the theaters' evening rhythm of ``ProbeBackfill``. No scenario is in force yet, so
/// there are no kernel or runtime complaints in it: they start with the scenario.
public enum LogBackfill {
    /// Writes the history ending at `now`; returns the lines written.
    @discardableResult
    public static func run(
        fleet: FleetSnapshot, store: SQLiteFleetStore, now: Date, minutes: Int = 60, progress: (Int, Int) -> Void = { _, _ in }
    ) async throws -> Int {
        let sites = Dictionary(uniqueKeysWithValues: fleet.sites.map { ($0.id, $0) })
        let containers = Dictionary(grouping: fleet.containers.filter { $0.state == .running || $0.state == .unhealthy }, by: \.hostID)
        let hosts = fleet.hosts.filter { containers[$0.id] != nil }
        let steps = minutes * 60 / Int(SimulatedRuntime.probeInterval)
        let start = now.addingTimeInterval(-Double(minutes) * 60)
        var written = 0
        // A few dozen hosts per transaction: progress moves, and no transaction grows large. The next
        // group's lines are made while the last one is written (in order: one write at a time).
        let group = 50
        var writing: (task: Task<Int, any Error>, done: Int)?
        for first in stride(from: 0, to: hosts.count, by: group) {
            var records: [String: [ReportRecord]] = [:]
            for host in hosts[first..<Swift.min(first + group, hosts.count)] {
                let offset = sites[host.siteID].map { (TimeZone(identifier: $0.timeZone) ?? .gmt).secondsFromGMT(for: now) } ?? 0
                var random = SeededGenerator(seed: host.id.utf8.reduce(UInt64(0x106_B0C4)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 })
                var lines: [ReportRecord] = []
                for container in containers[host.id] ?? [] {
                    let base = SimulatedRuntime.baseLatency(of: container.app)
                    for step in 0..<steps {
                        let at = start.addingTimeInterval(Double(step + 1) * SimulatedRuntime.probeInterval)
                        let latency = SimulatedRuntime.probeLatency(base * ProbeBackfill.rhythm(at, offset: offset), random: &random)
                        for line in SimulatedLogs.lines(for: container, latency: latency, slowed: false, random: &random) {
                            lines.append(
                                .log(line, at: at.addingTimeInterval(-Double.random(in: 0..<SimulatedRuntime.probeInterval, using: &random))))
                        }
                    }
                }
                lines.sort { $0.time < $1.time }
                records[host.id] = lines
            }
            if let writing {
                written += try await writing.task.value
                progress(writing.done, hosts.count)
            }
            let batch = records
            writing = (Task { try await store.importLogs(batch) }, Swift.min(first + group, hosts.count))
        }
        if let writing {
            written += try await writing.task.value
            progress(writing.done, hosts.count)
        }
        return written
    }
}
