import Foundation
import MarqueeCore

/// Probe history for a freshly generated fleet, written in bulk before the agents start, so
/// series, "worst theaters" and baselines have data from a demo's first minute.
///
/// What a week of live samples would have produced at every scope would be millions of rows, so
/// the history is as deep as each view needs: fleet and country series for 7 days by hour and for
/// the last six hours by minute; theater series for the last 24 hours by hour. Host series start with
/// the live samples. Latencies follow the simulator's model (each app's typical latency, log-normal
/// jitter) with a daily rhythm: slower in each theater's evening, when shows run.
public enum ProbeBackfill {
    /// Samples each container contributes per hour (one probe every 10 s).
    static let samplesPerHour = 360

    /// Writes the history ending at `now`; returns the rows written.
    @discardableResult
    public static func run(
        fleet: FleetSnapshot, store: some ProbeStore, now: Date, days: Int = 7, progress: (Int, Int) -> Void = { _, _ in }
    ) async throws -> Int {
        let sites = Dictionary(uniqueKeysWithValues: fleet.sites.map { ($0.id, $0) })
        let hosts = Dictionary(uniqueKeysWithValues: fleet.hosts.map { ($0.id, $0) })
        // Containers per (app, site) that would be probed.
        var counts: [String: [String: Int]] = [:]
        for container in fleet.containers where container.state == .running || container.state == .unhealthy {
            guard let siteID = hosts[container.hostID]?.siteID else { continue }
            counts[container.app, default: [:]][siteID, default: 0] += 1
        }
        // Each theater's UTC offset now (a week's history ignores a daylight-saving change in it).
        var offsets: [String: Int] = [:]
        for site in fleet.sites { offsets[site.id] = (TimeZone(identifier: site.timeZone) ?? .gmt).secondsFromGMT(for: now) }
        var random = SeededGenerator(seed: 0x5EED_9B0B)
        var rows = 0
        let hours = days * 24
        let apps = counts.keys.sorted()
        for (index, app) in apps.enumerated() {
            var accumulator = ProbeAccumulator()
            let base = SimulatedRuntime.baseLatency(of: app)
            var byCountry: [String: (containers: Int, offset: Int)] = [:]
            for (siteID, containers) in counts[app]! {
                guard let site = sites[siteID] else { continue }
                let offset = offsets[siteID] ?? 0
                byCountry[site.country, default: (0, offset)].containers += containers
                // Theater series: the last day by hour.
                for hour in 1...24 {
                    let start = now.addingTimeInterval(-Double(hour) * 3_600)
                    let sketch = hourSketch(base: base * rhythm(start, offset: offset), containers: containers, random: &random)
                    accumulator.add(sketch, errors: 0, to: .init(app: app, scope: .site(siteID), resolution: .hour, time: start))
                }
            }
            // Country and fleet series: the week by hour, the last six hours by minute (the console's sparklines).
            for (country, figures) in byCountry {
                for hour in 1...hours {
                    let start = now.addingTimeInterval(-Double(hour) * 3_600)
                    let sketch = hourSketch(base: base * rhythm(start, offset: figures.offset), containers: figures.containers, random: &random)
                    accumulator.add(sketch, errors: 0, to: .init(app: app, scope: .country(country), resolution: .hour, time: start))
                    accumulator.add(sketch, errors: 0, to: .init(app: app, scope: .fleet, resolution: .hour, time: start))
                }
                for minute in 1...(6 * 60) {
                    let start = now.addingTimeInterval(-Double(minute) * 60)
                    let sketch = representative(
                        base: base * rhythm(start, offset: figures.offset), samples: Swift.max(12, figures.containers * 6), random: &random)
                    accumulator.add(sketch, errors: 0, to: .init(app: app, scope: .country(country), resolution: .minute, time: start))
                    accumulator.add(sketch, errors: 0, to: .init(app: app, scope: .fleet, resolution: .minute, time: start))
                }
            }
            rows += accumulator.entries.count
            try await store.recordProbes(accumulator)
            progress(index + 1, apps.count)
        }
        return rows
    }

    /// 1.0 by day, up to 1.35 in the theater's evening (18:00–23:00 local).
    static func rhythm(_ time: Date, offset: Int) -> Double {
        let local = Int(time.timeIntervalSince1970.rounded(.down)) + offset
        let hour = ((local % 86_400) + 86_400) % 86_400 / 3_600
        return (18...22).contains(hour) ? 1.35 : (hour >= 23 || hour < 7) ? 0.9 : 1.0
    }

    /// An hour of one theater's probes: 12 representative latencies, each standing for its share.
    static func hourSketch(base: Double, containers: Int, random: inout SeededGenerator) -> LatencySketch {
        representative(base: base, samples: samplesPerHour * containers, random: &random)
    }

    /// `samples` probes as 12 body latencies, each standing for a twelfth, plus the outliers at
    /// their real share: a drawn outlier must not stand for a twelfth of the hour (it would be the p95).
    static func representative(base: Double, samples: Int, random: inout SeededGenerator) -> LatencySketch {
        var sketch = LatencySketch()
        let outliers = UInt64((Double(samples) * SimulatedRuntime.outlierRate).rounded())
        let body = UInt64(Swift.max(12, samples)) - outliers
        // Twelve shares that add up to exactly `body` (totals stay true to the sample count).
        for index in 0..<UInt64(12) {
            let share = body * (index + 1) / 12 - body * index / 12
            sketch.record(SimulatedRuntime.probeLatency(base, random: &random, outlierRate: 0), times: share)
        }
        if outliers > 0 { sketch.record(SimulatedRuntime.probeLatency(base, random: &random, outlierRate: 0) * 8, times: outliers) }
        return sketch
    }
}
