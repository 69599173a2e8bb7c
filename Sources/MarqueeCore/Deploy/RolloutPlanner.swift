import Foundation

/// Turns a placement into canary and waves, and estimates when each wave can run.
public enum RolloutPlanner {
    /// Canary sites and the waves after them (site ids), in order.
    public static func waves(for sites: [Site], policy: RolloutPolicy) throws -> (canary: [String], waves: [[String]]) {
        var canary: [String] = []
        if let policy = policy.canary {
            switch policy.sites {
            case .match(let source):
                let selector = try LabelSelector(source)
                canary = sites.filter { selector.matches($0.labels) }.map(\.id)
            case .count(let count):
                canary = spreadAcrossCountries(sites, count: count)
            }
        }
        let chosen = Set(canary)
        let rest = sites.filter { !chosen.contains($0.id) }.map(\.id)
        let size = policy.waves.waveSize(for: rest.count)
        let waves = stride(from: 0, to: rest.count, by: size).map { Array(rest[$0..<min($0 + size, rest.count)]) }
        return (canary, waves)
    }

    /// `count` sites taking one per country in turn, so a canary sees different regions.
    static func spreadAcrossCountries(_ sites: [Site], count: Int) -> [String] {
        var byCountry = Dictionary(grouping: sites, by: \.country).mapValues { $0.sorted { $0.id < $1.id } }
        let countries = byCountry.keys.sorted()
        var chosen: [String] = []
        while chosen.count < count, byCountry.values.contains(where: { !$0.isEmpty }) {
            for country in countries where chosen.count < count {
                if let site = byCountry[country]?.first {
                    chosen.append(site.id)
                    byCountry[country]?.removeFirst()
                }
            }
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
