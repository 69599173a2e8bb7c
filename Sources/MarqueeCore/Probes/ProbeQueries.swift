import Foundation

/// Latency figures for one time step of a series (or one whole range).
public struct ProbePoint: Codable, Sendable, Equatable {
    /// Start of the step.
    public var time: Date
    public var count: Int64
    public var errors: Int64
    public var p50: Double?
    public var p95: Double?
    public var p99: Double?

    public init(time: Date, sketch: LatencySketch, errors: Int64) {
        self.time = time
        self.count = Int64(sketch.count)
        self.errors = errors
        self.p50 = sketch.quantile(0.5)
        self.p95 = sketch.quantile(0.95)
        self.p99 = sketch.quantile(0.99)
    }

    /// Failed probes / all probes (0 when there were none).
    public var errorRate: Double { count == 0 ? 0 : Double(errors) / Double(count) }
}

/// A percentile time series of one application over one scope.
public struct ProbeSeries: Codable, Sendable, Equatable {
    public var app: String
    public var scope: ProbeScope
    /// Seconds per point.
    public var step: Int
    /// Resolution of the stored buckets read.
    public var resolution: ProbeResolution
    public var points: [ProbePoint]
    /// The whole range merged.
    public var total: ProbePoint
}

/// One site's figures over a range, for "worst sites" lists.
public struct ProbeSiteSummary: Codable, Sendable, Equatable {
    public var app: String
    public var siteID: String
    public var figures: ProbePoint
    /// p95 per step over the range, oldest first (`nil` for a step without samples).
    public var trend: [Double?]?
    /// The site's usual p95 at this time: the same hours over the last 7 days, or its trailing day.
    public var baselineP95: Double?
    /// `same-hour` or `trailing`.
    public var baseline: String?

    public init(app: String, siteID: String, figures: ProbePoint, trend: [Double?]? = nil, baselineP95: Double? = nil, baseline: String? = nil) {
        self.app = app
        self.siteID = siteID
        self.figures = figures
        self.trend = trend
        self.baselineP95 = baselineP95
        self.baseline = baseline
    }

    /// Current p95 over the baseline (`nil` without both).
    public var ratio: Double? {
        guard let p95 = figures.p95, let base = baselineP95, base > 0 else { return nil }
        return p95 / base
    }
}

/// p95 per key and time step for one application at one scope kind: every country over a day
/// (a heatmap), or a few theaters' trends.
public struct ProbeGrid: Codable, Sendable, Equatable {
    /// One key's cells, aligned with ``ProbeGrid/times``.
    public struct Row: Codable, Sendable, Equatable {
        public var key: String
        public var p95: [Double?]
        public var counts: [Int64]
        /// The whole range merged.
        public var total: ProbePoint
    }

    public var app: String
    /// `country`, `site` or `host`.
    public var scopeKind: String
    public var step: Int
    public var resolution: ProbeResolution
    /// Start of each step.
    public var times: [Date]
    /// Worst total p95 first.
    public var rows: [Row]

    public init(app: String, scopeKind: String, step: Int, resolution: ProbeResolution, times: [Date], rows: [Row]) {
        self.app = app
        self.scopeKind = scopeKind
        self.step = step
        self.resolution = resolution
        self.times = times
        self.rows = rows
    }

    public func row(_ key: String) -> Row? { rows.first { $0.key == key } }
}

/// Parameters of a series query.
public struct ProbeSeriesQuery: Codable, Sendable, Equatable {
    public var app: String
    public var scope: ProbeScope
    public var since: Date
    public var until: Date
    /// Seconds per point; nil picks one for about 60 points.
    public var step: Int?

    public init(app: String, scope: ProbeScope = .fleet, since: Date, until: Date, step: Int? = nil) {
        self.app = app
        self.scope = scope
        self.since = since
        self.until = until
        self.step = step
    }

    /// Minute buckets while the range is within their retention and the step is under an hour;
    /// hour buckets otherwise (same answer for hour-aligned steps, a sixtieth of the rows).
    public func resolution(now: Date) -> ProbeResolution {
        let wanted = step ?? Int((until.timeIntervalSince(since) / 60).rounded(.up))
        if wanted >= 3_600 { return .hour }
        return since >= now.addingTimeInterval(-ProbeResolution.minute.retention) ? .minute : .hour
    }

    /// The step in seconds: asked for, or about 60 points, a whole number of buckets.
    public func effectiveStep(resolution: ProbeResolution) -> Int {
        let size = resolution.rawValue
        let wanted = step ?? Int((until.timeIntervalSince(since) / 60).rounded(.up))
        return Swift.max(size, (wanted + size - 1) / size * size)
    }
}

extension ProbeGrid.Row {
    /// Heat of each cell, 0 (usual) … 4 (three times the usual or worse), against the row's own
    /// median p95 so that a country that is always a little slower does not glow; `nil` when empty.
    public var heat: [Int?] {
        let present = p95.compactMap { $0 }.sorted()
        guard !present.isEmpty else { return p95.map { _ in nil } }
        let median = present[present.count / 2]
        return p95.map { value in
            guard let value, median > 0 else { return nil }
            let ratio = value / median
            return ratio < 1.2 ? 0 : ratio < 1.5 ? 1 : ratio < 2 ? 2 : ratio < 3 ? 3 : 4
        }
    }
}
