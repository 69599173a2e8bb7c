import Foundation
import GRDB
import Histogram
import MarqueeCore

/// `marquee bench probes`: our latency sketch against HdrHistogram on the same samples, the
/// storage per series-minute, samples/s through the tower's ingest path, and a 24 h fleet query.
public struct ProbeBenchmark: Sendable {
    public struct Result: Codable, Sendable {
        public var samples: Int
        /// Nanoseconds per recorded sample (median of the runs).
        public var sketchRecordNanoseconds: Double
        public var hdrRecordNanoseconds: Double
        /// Sketch cost / HdrHistogram cost (goal ≤ 2).
        public var costRatio: Double
        /// Worst relative error over p50…p99.99 against the exact quantiles.
        public var sketchMaxRelativeError: Double
        public var hdrMaxRelativeError: Double
        /// Merging two full sketches / two histograms, nanoseconds.
        public var sketchMergeNanoseconds: Double
        public var hdrMergeNanoseconds: Double
        /// Memory for the whole sample set.
        public var sketchMemoryBytes: Int
        public var hdrMemoryBytes: Int
        /// Stored bytes per series-minute: encoded sketch, and the SQLite file over its minute rows.
        public var encodedBytesPerSeriesMinute: Double
        public var databaseBytesPerSeriesMinute: Double
        public var seriesMinutes: Int
        /// Probe samples per second through `HostLifecycle.heartbeat` (the tower's ingest transaction) on a file database.
        public var ingestSamplesPerSecond: Double
        /// Fleet p50/p95/p99 for one app over 24 h of minute buckets: p50 and p99 over the runs, milliseconds.
        public var fleetQuery24hP50Milliseconds: Double
        public var fleetQuery24hP99Milliseconds: Double
    }

    public let samples: Int
    public let sites: Int

    public init(samples: Int = 2_000_000, sites: Int = 750) {
        self.samples = samples
        self.sites = sites
    }

    /// Log-normal latencies (median 20 ms) with a 3 % Pareto tail from 200 ms.
    static func latencies(_ count: Int, seed: UInt64) -> [Double] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let u1 = Swift.max(Double.random(in: 0..<1, using: &random), 1e-12)
            let u2 = Double.random(in: 0..<1, using: &random)
            let normal = (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * .pi * u2)
            if Double.random(in: 0..<1, using: &random) < 0.03 {
                return 200 / Foundation.pow(Swift.max(Double.random(in: 0..<1, using: &random), 1e-9), 1 / 1.5)
            }
            return Foundation.exp(3 + 0.6 * normal)
        }
    }

    public func run(progress: (Int, Int) -> Void = { _, _ in }) async throws -> Result {
        let values = Self.latencies(samples, seed: 42)
        let micros = values.map { UInt64(Swift.max(1, ($0 * 1_000).rounded())) }
        let clock = ContinuousClock()
        var sketchRuns: [Double] = []
        var hdrRuns: [Double] = []
        var sketch = LatencySketch()
        var hdr = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .two)
        for run in 0..<5 {
            var fresh = LatencySketch()
            let start = clock.now
            for value in values { fresh.record(value) }
            sketchRuns.append(Self.nanoseconds(clock.now - start) / Double(values.count))
            sketch = fresh
            var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .two)
            let hdrStart = clock.now
            for value in micros { _ = histogram.record(value) }
            hdrRuns.append(Self.nanoseconds(clock.now - hdrStart) / Double(micros.count))
            hdr = histogram
            progress(run + 1, 9)
        }
        let sorted = values.sorted()
        var sketchError = 0.0
        var hdrError = 0.0
        for q in [0.5, 0.9, 0.95, 0.99, 0.999, 0.9999] {
            let exact = sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
            sketchError = Swift.max(sketchError, abs((sketch.quantile(q) ?? 0) - exact) / exact)
            hdrError = Swift.max(hdrError, abs(Double(hdr.valueAtPercentile(q * 100)) / 1_000 - exact) / exact)
        }
        let mergeRounds = 1_000
        var target = sketch
        var start = clock.now
        for _ in 0..<mergeRounds { target.merge(sketch) }
        let sketchMerge = Self.nanoseconds(clock.now - start) / Double(mergeRounds)
        var hdrTarget = hdr
        start = clock.now
        for _ in 0..<mergeRounds { hdrTarget.add(hdr) }
        let hdrMerge = Self.nanoseconds(clock.now - start) / Double(mergeRounds)
        progress(6, 9)

        let storage = try await storageAndQuery()
        progress(8, 9)
        let ingest = try await ingestRate()
        progress(9, 9)
        let sketchRecord = Self.median(sketchRuns)
        let hdrRecord = Self.median(hdrRuns)
        return Result(
            samples: samples, sketchRecordNanoseconds: sketchRecord, hdrRecordNanoseconds: hdrRecord, costRatio: sketchRecord / hdrRecord,
            sketchMaxRelativeError: sketchError, hdrMaxRelativeError: hdrError, sketchMergeNanoseconds: sketchMerge, hdrMergeNanoseconds: hdrMerge,
            sketchMemoryBytes: sketch.memoryBytes, hdrMemoryBytes: Self.hdrCountsBytes(highest: 3_600_000_000, digits: 2),
            encodedBytesPerSeriesMinute: storage.encoded, databaseBytesPerSeriesMinute: storage.database, seriesMinutes: storage.rows,
            ingestSamplesPerSecond: ingest, fleetQuery24hP50Milliseconds: storage.queryP50, fleetQuery24hP99Milliseconds: storage.queryP99)
    }

    /// 24 h of one app at every site (6 samples per host-minute, three hosts), stored like the ingest
    /// stores it, then the fleet series over the day, timed.
    func storageAndQuery() async throws -> (encoded: Double, database: Double, rows: Int, queryP50: Double, queryP99: Double) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-bench-probes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try FleetDatabase.open(at: directory.appendingPathComponent("probes.db").path)
        let store = SQLiteFleetStore(database)
        let end = Date(timeIntervalSince1970: 1_795_831_200)
        var random = SeededGenerator(seed: 7)
        let countries = ["SE", "DE", "US", "FR", "GB", "ES", "IT", "PL", "BR", "IN"]
        for hour in 0..<24 {
            var accumulator = ProbeAccumulator()
            for minute in 0..<60 {
                let time = end.addingTimeInterval(-Double((24 - hour) * 3_600 - minute * 60))
                for site in 0..<sites {
                    for host in 1...3 {
                        var sketch = LatencySketch()
                        for _ in 0..<6 { sketch.record(Foundation.exp(3 + 0.4 * Double.random(in: -2...2, using: &random))) }
                        accumulator.add(
                            sketch, errors: 0, app: "kiosk-ticketing", bucketStart: time, hostID: "s\(site)-h\(host)", siteID: "s\(site)",
                            country: countries[site % countries.count], resolutions: [.minute])
                    }
                }
            }
            try await store.recordProbes(accumulator)
        }
        let (rows, blobBytes) = try await database.writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM probeSeries") ?? 0,
                try Int.fetchOne(db, sql: "SELECT SUM(length(sketch)) FROM probeSeries") ?? 0
            )
        }
        try await database.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("probes.db").path)[.size] as? Int) ?? 0
        var timings: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<50 {
            let start = clock.now
            let series = try await store.probeSeries(
                ProbeSeriesQuery(app: "kiosk-ticketing", scope: .fleet, since: end.addingTimeInterval(-86_400), until: end), now: end)
            timings.append(Self.nanoseconds(clock.now - start) / 1e6)
            precondition(series.total.count > 0)
        }
        timings.sort()
        return (
            Double(blobBytes) / Double(Swift.max(rows, 1)), Double(fileBytes) / Double(Swift.max(rows, 1)), rows, Self.median(timings),
            timings[Int(Double(timings.count - 1) * 0.99)]
        )
    }

    /// Heartbeats carrying probe samples through the tower's ingest transaction.
    func ingestRate() async throws -> Double {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-bench-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = SQLiteFleetStore(try FleetDatabase.open(at: directory.appendingPathComponent("fleet.db").path))
        let start = Date(timeIntervalSince1970: 1_795_831_200)
        let fleet = try FleetGenerator(.init(theaters: 100, seed: 3, now: start)).generate()
        try await store.replaceFleet(with: fleet)
        let lifecycle = HostLifecycle(store: store, now: { start })
        var credentials: [String] = []
        for host in fleet.hosts.filter({ $0.status == .online }).prefix(200) {
            let (token, _) = try await lifecycle.createEnrollmentToken(siteID: host.siteID, ttl: .seconds(3_600))
            credentials.append(try await lifecycle.enroll(token: token, facts: host.facts).credential)
        }
        let values = Self.latencies(60, seed: 9)
        let clock = ContinuousClock()
        let began = clock.now
        var sent = 0
        for round in 1...10 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for credential in credentials {
                    let records: [ReportRecord] = values.enumerated().map { index, value in
                        .probe(
                            ProbeSample(
                                app: "kiosk-ticketing", service: "api", container: "c\(index % 6)", probe: "readiness", latencyMilliseconds: value,
                                success: true, status: "HTTP 200"), at: start.addingTimeInterval(Double(round * 10 + index % 10)))
                    }
                    group.addTask {
                        _ = try await lifecycle.heartbeat(
                            credential: credential, facts: nil, batches: [ReportBatch(sequence: Int64(round), createdAt: start, records: records)])
                    }
                }
                try await group.waitForAll()
            }
            sent += credentials.count * values.count
        }
        return Double(sent) / (Self.nanoseconds(clock.now - began) / 1e9)
    }

    /// The size of HdrHistogram's counts array (it keeps it private): sub-buckets of
    /// `2^ceil(log2(2·10^digits))`, half of them per bucket, buckets doubling until past `highest`,
    /// `UInt64` counts — the layout of its constructor.
    static func hdrCountsBytes(highest: UInt64, digits: Int) -> Int {
        let subBucketCount = 1 << Int(Foundation.log2(2 * Foundation.pow(10, Double(digits))).rounded(.up))
        var smallestUntrackable = UInt64(subBucketCount)
        var buckets = 1
        while smallestUntrackable <= highest {
            smallestUntrackable <<= 1
            buckets += 1
        }
        return (buckets + 1) * (subBucketCount / 2) * MemoryLayout<UInt64>.stride
    }

    static func nanoseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
