import Foundation

/// When a host's probes count as degraded.
public struct DegradationPolicy: Codable, Sendable, Equatable {
    /// p95 above the baseline by this factor.
    public var factor: Double
    /// Or more than this share of probes failing.
    public var errorRate: Double
    /// The recent window judged, seconds.
    public var window: TimeInterval
    /// Fewer samples than this in the window: not judged.
    public var minimumSamples: Int
    /// How far back a host's trailing baseline reaches (before the window), seconds; used when
    /// the same hour of the last 7 days holds too few samples.
    public var baselineSpan: TimeInterval
    /// Fewer baseline samples than this: the host is compared with the fleet instead.
    public var minimumBaselineSamples: Int

    public init(
        factor: Double = 1.5, errorRate: Double = 0.05, window: TimeInterval = 900, minimumSamples: Int = 10, baselineSpan: TimeInterval = 86_400,
        minimumBaselineSamples: Int = 30
    ) {
        self.factor = factor
        self.errorRate = errorRate
        self.window = window
        self.minimumSamples = minimumSamples
        self.baselineSpan = baselineSpan
        self.minimumBaselineSamples = minimumBaselineSamples
    }
}

/// A host whose probes for one application regressed.
public struct DegradedHost: Codable, Sendable, Equatable {
    public var hostID: String
    public var siteID: String
    public var p95: Double
    public var baselineP95: Double
    /// Where ``baselineP95`` comes from: `same-hour` (the host at this hour of day over the last
    /// 7 days), `trailing` (the host's last day), `site` (its theater's history) or `fleet` (median
    /// of the app's hosts now, when no history is deep enough).
    public var baseline: String
    public var errorRate: Double
    public var samples: Int64
    /// One of the application's containers on the host.
    public var container: String?

    public init(
        hostID: String, siteID: String, p95: Double, baselineP95: Double, baseline: String, errorRate: Double, samples: Int64, container: String?
    ) {
        self.hostID = hostID
        self.siteID = siteID
        self.p95 = p95
        self.baselineP95 = baselineP95
        self.baseline = baseline
        self.errorRate = errorRate
        self.samples = samples
        self.container = container
    }
}

/// Degraded hosts of one application and the host attributes that set them apart.
public struct ProbeCohortReport: Codable, Sendable, Equatable {
    public var app: String
    public var window: TimeInterval
    /// Every measured host's samples over the window, merged.
    public var fleet: ProbePoint?
    public var measuredHosts: Int
    public var degraded: [DegradedHost]
    public var degradedSites: Int
    public var healthySites: Int
    public var cohorts: [CohortFinding]

    public init(
        app: String, window: TimeInterval, fleet: ProbePoint?, measuredHosts: Int, degraded: [DegradedHost], degradedSites: Int, healthySites: Int,
        cohorts: [CohortFinding]
    ) {
        self.app = app
        self.window = window
        self.fleet = fleet
        self.measuredHosts = measuredHosts
        self.degraded = degraded
        self.degradedSites = degradedSites
        self.healthySites = healthySites
        self.cohorts = cohorts
    }
}

/// A host's past figures to judge it against, and where they come from.
public struct ProbeBaseline: Sendable {
    public var figures: ProbeDegradation.Figures
    /// `same-hour`, `trailing` or `site` (see ``DegradedHost/baseline``).
    public var kind: String

    public init(figures: ProbeDegradation.Figures, kind: String) {
        self.figures = figures
        self.kind = kind
    }

    /// The first of `candidates` (most specific first) with at least `minimumSamples` samples.
    public static func first(of candidates: [(figures: ProbeDegradation.Figures?, kind: String)], minimumSamples: Int) -> ProbeBaseline? {
        for candidate in candidates {
            if let figures = candidate.figures, figures.sketch.count >= UInt64(minimumSamples) {
                return ProbeBaseline(figures: figures, kind: candidate.kind)
            }
        }
        return nil
    }
}

/// Judges each host's recent probes against its baseline.
public enum ProbeDegradation {
    public typealias Figures = (sketch: LatencySketch, errors: Int64)

    /// A host judged degraded.
    public struct Verdict: Sendable {
        public var hostID: String
        public var p95: Double
        public var baseline: Double
        /// ``ProbeBaseline/kind``, or `fleet`.
        public var baselineKind: String
        public var errorRate: Double
        public var samples: Int64
    }

    /// Hosts in `current` whose window p95 exceeds `policy.factor` × baseline (their entry in
    /// `baselines` when it holds enough samples, else the median p95 of every judged host now),
    /// or whose error rate exceeds `policy.errorRate`.
    public static func degradedHosts(current: [String: Figures], baselines: [String: ProbeBaseline], policy: DegradationPolicy) -> [Verdict] {
        let judged = current.filter { $0.value.sketch.count >= UInt64(policy.minimumSamples) }
        let p95s = judged.compactMap { $0.value.sketch.quantile(0.95) }.sorted()
        guard !p95s.isEmpty else { return [] }
        let fleetMedian = p95s[p95s.count / 2]
        var result: [Verdict] = []
        for (hostID, figures) in judged {
            guard let p95 = figures.sketch.quantile(0.95) else { continue }
            let past = baselines[hostID].flatMap { $0.figures.sketch.count >= UInt64(policy.minimumBaselineSamples) ? $0 : nil }
            let baseline = past?.figures.sketch.quantile(0.95) ?? fleetMedian
            let errorRate = Double(figures.errors) / Double(max(1, figures.sketch.count))
            if p95 > baseline * policy.factor || errorRate > policy.errorRate {
                result.append(
                    Verdict(
                        hostID: hostID, p95: p95, baseline: baseline, baselineKind: past?.kind ?? "fleet", errorRate: errorRate,
                        samples: Int64(figures.sketch.count)))
            }
        }
        return result.sorted { ($0.p95, $1.hostID) > ($1.p95, $0.hostID) }
    }
}
