import AsyncHTTPClient
import Foundation
import MarqueeAgent
import MarqueeCore
import MarqueeRemote
import NIOCore
import NIOHTTP1
import Synchronization

/// Load on a running tower: N hosts enroll, then heartbeat on schedule with report batches, then
/// the ingest ceilings (heartbeats that carry a report batch, and routine ones that carry none) are
/// compared with the HTTP stack's own on a trivial route.
///
/// The tower is a separate process (its CPU is read from `/proc`); the load comes from this one
/// over loopback through the real ``TowerClient``.
public struct TowerBenchmark: Sendable {
    public struct Configuration: Sendable {
        public var hosts: Int
        public var heartbeatSeconds: Double
        /// How long hosts heartbeat on schedule.
        public var steadySeconds: Double
        /// How long each closed-loop ceiling is measured.
        public var ceilingSeconds: Double
        /// Requests in flight for enrollment and the ceilings.
        public var concurrency: Int
        /// Back-to-back (reports, heartbeats, trivial route) ceiling rounds.
        public var ceilingRounds: Int

        public init(
            hosts: Int, heartbeatSeconds: Double = 10, steadySeconds: Double = 30, ceilingSeconds: Double = 5, concurrency: Int = 64,
            ceilingRounds: Int = 5
        ) {
            self.hosts = hosts
            self.heartbeatSeconds = heartbeatSeconds
            self.steadySeconds = steadySeconds
            self.ceilingSeconds = ceilingSeconds
            self.concurrency = concurrency
            self.ceilingRounds = max(1, ceilingRounds)
        }
    }

    /// Latency summary in milliseconds.
    public struct Latency: Codable, Sendable {
        public var count: Int
        public var p50: Double
        public var p99: Double
        public var max: Double

        init(_ samples: [Double]) {
            let sorted = samples.sorted()
            count = sorted.count
            func quantile(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] * 1000 }
            p50 = quantile(0.5)
            p99 = quantile(0.99)
            max = (sorted.last ?? 0) * 1000
        }
    }

    public struct Result: Codable, Sendable {
        public var hosts: Int
        public var enrollSeconds: Double
        public var enrollLatency: Latency
        public var heartbeatSeconds: Double
        public var steadySeconds: Double
        public var heartbeatsPerSecond: Double
        public var recordsPerSecond: Double
        public var heartbeatLatency: Latency
        public var failedRequests: Int
        /// Tower CPU during the steady phase, in cores (1.0 = one core busy).
        public var towerCores: Double
        public var towerResidentMiB: Double
        /// Closed-loop heartbeats each carrying a new report batch of 4 records (the steady phase's
        /// shape), per second: the ingest ceiling.
        public var ingestCeilingPerSecond: Double
        /// Closed-loop routine heartbeats (no batch), per second.
        public var heartbeatCeilingPerSecond: Double
        public var trivialCeilingPerSecond: Double
        /// The median of the rounds' ingest / trivial ratios.
        public var ingestToTrivialRatio: Double
        /// Each round's ingest / trivial ratio, in the order measured.
        public var ingestToTrivialRatios: [Double]
        /// The median of the rounds' routine heartbeat / trivial ratios.
        public var heartbeatToTrivialRatio: Double
        /// Tower CPU per request in each ceiling (medians, microseconds; from `/proc`): what the
        /// tower's own work costs beside the HTTP stack's, without this load generator's share.
        public var towerMicrosecondsPerRequest: PerLoop
        /// This load generator's CPU per request in each ceiling (medians, microseconds): it shares
        /// the machine's cores with the tower, so a costlier request to send lowers the rate too.
        public var generatorMicrosecondsPerRequest: PerLoop
        /// The fraction of all cores' time that was busy in each ceiling (medians; from
        /// `/proc/stat`, any process): below 1, the loop was not bound by CPU alone.
        public var machineBusy: PerLoop
        /// The fraction of all cores' time the hypervisor gave to other guests in each ceiling
        /// (medians): a noisy neighbour shows here.
        public var machineSteal: PerLoop
    }

    /// One figure for each closed loop: heartbeats with reports, routine heartbeats, `/healthz`.
    public struct PerLoop: Codable, Sendable {
        public var ingest: Double
        public var heartbeat: Double
        public var trivial: Double
    }

    public let configuration: Configuration
    public let towerURL: String
    public let adminToken: String
    public let hosts: [EdgeHost]
    /// Tower process CPU seconds so far (user + system).
    public let towerCPUSeconds: @Sendable () -> Double
    public let towerResidentBytes: @Sendable () -> Int64

    public init(
        configuration: Configuration, towerURL: String, adminToken: String, hosts: [EdgeHost], towerCPUSeconds: @escaping @Sendable () -> Double,
        towerResidentBytes: @escaping @Sendable () -> Int64
    ) {
        self.configuration = configuration
        self.towerURL = towerURL
        self.adminToken = adminToken
        self.hosts = hosts
        self.towerCPUSeconds = towerCPUSeconds
        self.towerResidentBytes = towerResidentBytes
    }

    /// Runs every phase; `progress(phase, done, total)` is called as it goes.
    public func run(progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in }) async throws -> Result {
        var poolConfiguration = HTTPClient.Configuration()
        poolConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = configuration.concurrency
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: poolConfiguration)
        do {
            let result = try await run(client: client, progress: progress)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func run(client: HTTPClient, progress: @escaping @Sendable (String, Int, Int) -> Void) async throws -> Result {
        let tower = try TowerClient(baseURL: towerURL, client: client)
        let hosts = Array(self.hosts.prefix(configuration.hosts))

        // Tokens (not timed), then every host enrolls.
        var tokens: [String: String] = [:]
        let sites = Array(Set(hosts.map(\.siteID))).sorted()
        for (index, site) in sites.enumerated() {
            tokens[site] = try await tower.createEnrollmentToken(site: site, ttlSeconds: 3_600, adminToken: adminToken).token
            progress("Creating enrollment tokens", index + 1, sites.count)
        }
        let siteTokens = tokens
        let enrollStart = ContinuousClock.now
        let enrolled = try await Self.closedLoop(hosts.enumerated().map { $0 }, concurrency: configuration.concurrency) { pair in
            let (index, host) = pair
            let started = ContinuousClock.now
            let enrollment = try await tower.enroll(token: siteTokens[host.siteID], site: nil, facts: host.facts)
            progress("Enrolling", index + 1, hosts.count)
            return (enrollment.credential, Self.seconds(ContinuousClock.now - started))
        }
        let enrollSeconds = Self.seconds(ContinuousClock.now - enrollStart)
        let credentials = enrolled.map(\.0)

        // Steady: every host heartbeats every interval (spread evenly) with one report batch.
        let records = Self.records(at: Date())
        let cpuBefore = towerCPUSeconds()
        let steadyStart = ContinuousClock.now
        let interval = configuration.heartbeatSeconds
        let deadline = steadyStart + .milliseconds(Int(configuration.steadySeconds * 1000))
        let outcomes = await withTaskGroup(of: ([Double], Int, Int, Int64).self) { group in
            for (index, credential) in credentials.enumerated() {
                let offset = interval * Double(index) / Double(credentials.count)
                group.addTask {
                    var latencies: [Double] = []
                    var failures = 0
                    var sequence: Int64 = 1
                    var next = steadyStart + .milliseconds(Int(offset * 1000))
                    while next < deadline {
                        try? await Task.sleep(until: next)
                        let started = ContinuousClock.now
                        do {
                            let batch = ReportBatch(sequence: sequence, createdAt: Date(), records: records)
                            _ = try await tower.heartbeat(credential: credential, facts: nil, batches: [batch])
                            latencies.append(Self.seconds(ContinuousClock.now - started))
                            sequence += 1
                        } catch {
                            failures += 1
                        }
                        next = next + .milliseconds(Int(interval * 1000))
                    }
                    return (latencies, failures, index, sequence)
                }
            }
            var all: [Double] = []
            var failures = 0
            var done = 0
            var sequences = [Int64](repeating: 1, count: credentials.count)
            for await (latencies, failed, index, sequence) in group {
                all += latencies
                sequences[index] = sequence
                failures += failed
                done += 1
                progress("Heartbeating", done, credentials.count)
            }
            return (all, failures, sequences)
        }
        let steadyElapsed = Self.seconds(ContinuousClock.now - steadyStart)
        let cpu = towerCPUSeconds() - cpuBefore
        let resident = towerResidentBytes()

        // Ceilings: closed-loop heartbeats with a report batch, routine heartbeats and /healthz, in
        // back-to-back rounds. The two cores are shared with this load generator and with whatever
        // else the machine runs, so a single window swings by ±25 %; each round's ratio compares
        // adjacent windows, and the median of the rounds is the figure (the rates are medians too).
        // All are loaded the same way — a prepared request, the answer's status checked and its
        // body read, not decoded — so the ratio compares the tower's work, not this client's JSON.
        let routineBody = ByteBuffer(string: #"{"batches":[]}"#)
        let reportBody = try ReportBodyTemplate(records: records)
        // Each worker sends for its own hosts, one request at a time, so every batch carries the
        // host's next sequence number and is applied (none is a duplicate or leaves a gap).
        let workers = Swift.min(configuration.concurrency, credentials.count)
        let nextSequence = Mutex(outcomes.2)
        let rounds = configuration.ceilingRounds
        var measured: [(ingest: Ceiling, heartbeat: Ceiling, trivial: Ceiling)] = []
        for round in 0..<rounds {
            progress("Measuring ceilings", round * 3, rounds * 3)
            let ingest = try await ceiling(concurrency: workers) { worker, count in
                let owned = (credentials.count - worker + workers - 1) / workers
                let index = worker + workers * (count % owned)
                let sequence = nextSequence.withLock { sequences in
                    defer { sequences[index] += 1 }
                    return sequences[index]
                }
                try await Self.post(client, towerURL, credential: credentials[index], body: ByteBuffer(string: reportBody.body(sequence: sequence)))
            }
            progress("Measuring ceilings", round * 3 + 1, rounds * 3)
            let heartbeat = try await ceiling(concurrency: workers) { worker, count in
                try await Self.post(client, towerURL, credential: credentials[(worker * 7_919 + count) % credentials.count], body: routineBody)
            }
            progress("Measuring ceilings", round * 3 + 2, rounds * 3)
            let trivial = try await ceiling(concurrency: workers) { _, _ in
                let response = try await client.execute(HTTPClientRequest(url: towerURL + "/healthz"), timeout: .seconds(10))
                _ = try await response.body.collect(upTo: 1 << 16)
                guard response.status == .ok else { throw BenchmarkFailure.unexpectedStatus(Int(response.status.code)) }
            }
            measured.append((ingest, heartbeat, trivial))
        }
        let ratios = measured.map { $0.trivial.rate > 0 ? $0.ingest.rate / $0.trivial.rate : 0 }
        progress("Measuring ceilings", rounds * 3, rounds * 3)

        let heartbeats = Double(outcomes.0.count)
        return Result(
            hosts: hosts.count, enrollSeconds: enrollSeconds, enrollLatency: Latency(enrolled.map(\.1)), heartbeatSeconds: interval,
            steadySeconds: steadyElapsed, heartbeatsPerSecond: heartbeats / steadyElapsed,
            recordsPerSecond: heartbeats * Double(records.count) / steadyElapsed, heartbeatLatency: Latency(outcomes.0), failedRequests: outcomes.1,
            towerCores: cpu / steadyElapsed, towerResidentMiB: Double(resident) / 1_048_576,
            ingestCeilingPerSecond: Self.median(measured.map(\.ingest.rate)), heartbeatCeilingPerSecond: Self.median(measured.map(\.heartbeat.rate)),
            trivialCeilingPerSecond: Self.median(measured.map(\.trivial.rate)), ingestToTrivialRatio: Self.median(ratios),
            ingestToTrivialRatios: ratios,
            heartbeatToTrivialRatio: Self.median(measured.map { $0.trivial.rate > 0 ? $0.heartbeat.rate / $0.trivial.rate : 0 }),
            towerMicrosecondsPerRequest: Self.perLoop(measured, \.towerMicroseconds),
            generatorMicrosecondsPerRequest: Self.perLoop(measured, \.generatorMicroseconds), machineBusy: Self.perLoop(measured, \.machineBusy),
            machineSteal: Self.perLoop(measured, \.machineSteal))
    }

    /// The median of one ceiling figure over the rounds, for each loop.
    private static func perLoop(
        _ rounds: [(ingest: Ceiling, heartbeat: Ceiling, trivial: Ceiling)], _ figure: KeyPath<Ceiling, Double>
    ) -> PerLoop {
        PerLoop(
            ingest: median(rounds.map { $0.ingest[keyPath: figure] }), heartbeat: median(rounds.map { $0.heartbeat[keyPath: figure] }),
            trivial: median(rounds.map { $0.trivial[keyPath: figure] }))
    }

    /// One heartbeat POST with a prepared body; fails unless the tower answers 200.
    private static func post(_ client: HTTPClient, _ towerURL: String, credential: String, body: ByteBuffer) async throws {
        var request = HTTPClientRequest(url: towerURL + "/v1/agent/heartbeat")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(credential)")
        request.body = .bytes(body)
        let response = try await client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        guard response.status == .ok else { throw BenchmarkFailure.unexpectedStatus(Int(response.status.code)) }
    }

    /// One closed-loop window: requests per second, the tower's and this generator's CPU per
    /// request, and how busy the machine was.
    private struct Ceiling {
        var rate: Double
        var towerMicroseconds: Double
        var generatorMicroseconds: Double
        var machineBusy: Double
        var machineSteal: Double
    }

    /// Requests per second with `concurrency` workers each sending back to back.
    private func ceiling(concurrency: Int, _ request: @escaping @Sendable (Int, Int) async throws -> Void) async throws -> Ceiling {
        let deadline = ContinuousClock.now + .milliseconds(Int(configuration.ceilingSeconds * 1000))
        let cpuBefore = towerCPUSeconds()
        let timesBefore = CPUTimes.now()
        let start = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        try await request(worker, count)
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = Self.seconds(ContinuousClock.now - start)
        let cpu = towerCPUSeconds() - cpuBefore
        let times = CPUTimes.now()
        let shares = times.shares(since: timesBefore)
        let perRequest = { (seconds: Double) in total > 0 ? seconds / Double(total) * 1e6 : 0 }
        return Ceiling(
            rate: Double(total) / elapsed, towerMicroseconds: perRequest(cpu), generatorMicroseconds: perRequest(times.process - timesBefore.process),
            machineBusy: shares.busy, machineSteal: shares.steal)
    }

    /// Runs `body` over `items` with at most `concurrency` in flight; results in input order.
    static func closedLoop<Item: Sendable, Output: Sendable>(
        _ items: [Item], concurrency: Int, _ body: @escaping @Sendable (Item) async throws -> Output
    ) async throws -> [Output] {
        try await withThrowingTaskGroup(of: (Int, Output).self) { group in
            var results = [Output?](repeating: nil, count: items.count)
            var next = 0
            for _ in 0..<min(concurrency, items.count) {
                let index = next
                group.addTask { (index, try await body(items[index])) }
                next += 1
            }
            while let (index, output) = try await group.next() {
                results[index] = output
                if next < items.count {
                    let index = next
                    group.addTask { (index, try await body(items[index])) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }

    /// A typical simulated host's report: three containers and its metrics.
    static func records(at time: Date) -> [ReportRecord] {
        (0..<3).map { .container(ContainerStateReport(id: "bench-\($0)", state: .running, restarts: 0), at: time) }
            + [.hostMetrics(HostMetricsReport(load1: 0.7, memoryAvailableBytes: 8 << 30, diskFreeBytes: 300 << 30), at: time)]
    }

    /// The middle value (the mean of the middle two for an even count); 0 for none.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// A benchmark request the tower did not answer as expected.
enum BenchmarkFailure: Error, CustomStringConvertible {
    case unexpectedStatus(Int)

    var description: String {
        switch self {
        case .unexpectedStatus(let status): "the tower answered HTTP \(status) during the benchmark"
        }
    }
}
