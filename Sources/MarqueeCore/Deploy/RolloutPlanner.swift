import Foundation

/// Turns a placement into canary and waves, and estimates when each wave can run.
public enum RolloutPlanner {
    /// Canary sites and the waves after them (site ids), in order.
    public static func waves(for placement: Placement, policy: RolloutPolicy) throws -> (canary: [String], waves: [[String]]) {
        let index = placement.index
        let rows = placement.eligibleRows
        var canaryRows: [Int] = []
        if let policy = policy.canary {
            switch policy.sites {
            case .match(let source):
                let bound = index.labels.bind(try LabelSelector(source))
                canaryRows = rows.filter { bound.matches(row: $0) }
            case .count(let count):
                canaryRows = spreadAcrossCountries(rows, countries: index.countries, count: count)
            }
        }
        let chosen = Set(canaryRows)
        let rest = rows.filter { !chosen.contains($0) }
        let size = policy.waves.waveSize(for: rest.count)
        let waves = stride(from: 0, to: rest.count, by: size).map { start in rest[start..<min(start + size, rest.count)].map { index.ids[$0] } }
        return (canaryRows.map { index.ids[$0] }, waves)
    }

    /// `count` rows taking one per country in turn, so a canary sees different regions (`rows` are in rollout order).
    static func spreadAcrossCountries(_ rows: [Int], countries: [Int], count: Int) -> [Int] {
        var runs: [Range<Int>] = []
        var start = 0
        for position in rows.indices.dropFirst() where countries[rows[position]] != countries[rows[position - 1]] {
            runs.append(start..<position)
            start = position
        }
        if !rows.isEmpty { runs.append(start..<rows.count) }
        var chosen: [Int] = []
        var depth = 0
        while chosen.count < count, runs.contains(where: { $0.count > depth }) {
            for run in runs where chosen.count < count && run.count > depth { chosen.append(rows[run.lowerBound + depth]) }
            depth += 1
        }
        return chosen
    }

    /// Assumed time from sending a version to its containers running (for estimates).
    public static let startEstimate: TimeInterval = 60

    /// When each wave could start and end if every site stays healthy, starting at `start`.
    public static func schedule(
        waves: [[String]], hasCanary: Bool, policy: RolloutPolicy, timeZones: [String: TimeZone], start: Date
    ) -> [WaveEstimate] {
        var time = start
        var estimates: [WaveEstimate] = []
        for (index, wave) in waves.enumerated() {
            // A wave ends when its last site has been healthy long enough; a site starts when its window opens.
            let healthyFor = hasCanary && index == 0 ? (policy.canary?.healthyFor ?? policy.healthyFor) : policy.healthyFor
            let opens = wave.compactMap { timeZones[$0].flatMap { policy.nextWindowOpening(after: time, timeZone: $0) } }
            let waveStart = opens.min() ?? time
            let waveEnd = (opens.max() ?? time).addingTimeInterval(startEstimate + healthyFor)
            estimates.append(WaveEstimate(index: index, isCanary: hasCanary && index == 0, sites: wave.count, start: waveStart, end: waveEnd))
            time = waveEnd
        }
        return estimates
    }
}

/// A wave's estimated start and end.
public struct WaveEstimate: Codable, Sendable, Equatable {
    public var index: Int
    public var isCanary: Bool
    public var sites: Int
    public var start: Date
    public var end: Date
}
