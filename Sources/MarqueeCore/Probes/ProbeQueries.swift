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
