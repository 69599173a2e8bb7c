import Foundation

/// Collects probe samples into sketches per (app, scope, resolution, bucket) before they are
/// merged into storage in one pass: a transaction touches each stored row once, however many
/// samples and hosts it carries.
public struct ProbeAccumulator: Sendable {
    /// One stored row's identity.
    public struct Key: Hashable, Sendable {
        public var app: String
        public var scope: ProbeScope
        public var resolution: ProbeResolution
        public var bucket: Int64

        /// The row of `app` at `scope` and `resolution` holding `time`.
        public init(app: String, scope: ProbeScope, resolution: ProbeResolution, time: Date) {
            self.app = app
            self.scope = scope
            self.resolution = resolution
            self.bucket = resolution.bucket(of: time)
        }

        init(app: String, scope: ProbeScope, resolution: ProbeResolution, bucket: Int64) {
            self.app = app
            self.scope = scope
            self.resolution = resolution
            self.bucket = bucket
        }
    }

    /// A row's pending additions.
    public struct Entry: Sendable {
        public var sketch = LatencySketch()
        public var errors: Int64 = 0
    }

    public private(set) var entries: [Key: Entry] = [:]
    /// Samples added.
    public private(set) var samples = 0

    public init() {}

    public var isEmpty: Bool { entries.isEmpty }

    /// Adds `sample`, taken at `time` on `hostID` at `siteID` in `country`, to the host, site,
    /// country and fleet series at minute and hour resolution. Failed probes count as errors and
    /// their latency (time to the failure) still counts.
    public mutating func add(_ sample: ProbeSample, at time: Date, hostID: String, siteID: String, country: String) {
        samples += 1
        for resolution in ProbeResolution.allCases {
            let bucket = resolution.bucket(of: time)
            for scope in [ProbeScope.host(hostID), .site(siteID), .country(country), .fleet] {
                let key = Key(app: sample.series, scope: scope, resolution: resolution, bucket: bucket)
                entries[key, default: Entry()].sketch.record(Swift.max(0, sample.latencyMilliseconds))
                if !sample.success { entries[key, default: Entry()].errors += 1 }
            }
        }
    }

    /// Adds a whole sketch to one row (bulk backfill of a rolled-up scope).
    public mutating func add(_ sketch: LatencySketch, errors: Int64, to key: Key) {
        samples += Int(sketch.count)
        entries[key, default: Entry()].sketch.merge(sketch)
        entries[key, default: Entry()].errors += errors
    }

    /// Adds a whole sketch (bulk backfill) for one host.
    public mutating func add(
        _ sketch: LatencySketch, errors: Int64, app: String, bucketStart: Date, hostID: String, siteID: String, country: String,
        resolutions: [ProbeResolution] = ProbeResolution.allCases
    ) {
        samples += Int(sketch.count)
        for resolution in resolutions {
            let bucket = resolution.bucket(of: bucketStart)
            for scope in [ProbeScope.host(hostID), .site(siteID), .country(country), .fleet] {
                let key = Key(app: app, scope: scope, resolution: resolution, bucket: bucket)
                entries[key, default: Entry()].sketch.merge(sketch)
                entries[key, default: Entry()].errors += errors
            }
        }
    }
}
