import Foundation

/// Storage of probe latency series.
public protocol ProbeStore: Sendable {
    /// Merges samples or backfilled sketches into the stored series, in one transaction.
    func recordProbes(_ accumulator: ProbeAccumulator) async throws
    /// Deletes buckets past their retention; returns how many.
    func compactProbes(now: Date) async throws -> Int
    func probeSeries(_ query: ProbeSeriesQuery, now: Date) async throws -> ProbeSeries
    func probeWorstSites(app: String?, since: Date, until: Date, limit: Int, now: Date) async throws -> [ProbeSiteSummary]
    func probeGrid(app: String, scopeKind: String, keys: [String]?, since: Date, until: Date, step: Int?, now: Date) async throws -> ProbeGrid
    func probeFigures(app: String, scopeKind: String, resolution: ProbeResolution, since: Date, until: Date) async throws -> [String:
        ProbeDegradation.Figures]
    func probeApps(since: Date) async throws -> [String]
    func hostCohortAttributes() async throws -> [HostCohortAttributes]
    func containers(of app: String, onHosts hostIDs: [String]) async throws -> [String: String]
}

extension SQLiteFleetStore: ProbeStore {}

/// Probe queries, local or through a tower (``HTTPFleetAPI``).
public protocol ProbeAPI: Sendable {
    /// p50/p95/p99 over time for one application and scope.
    func probeSeries(_ query: ProbeSeriesQuery) async throws -> ProbeSeries
    /// Sites with the worst p95 over `since..<until` (all applications unless `app`), each with its
    /// p95 trend over the range and its baseline.
    func probeWorstSites(app: String?, since: Date, until: Date, limit: Int) async throws -> [ProbeSiteSummary]
    /// p95 per country and time step: the heatmap of one application.
    func probeHeatmap(app: String, since: Date, until: Date, step: Int?) async throws -> ProbeGrid
    /// Per application (or just `app`): hosts whose probes regressed over the policy's window, and
    /// the host attributes that best separate their theaters from the healthy ones.
    func probeCohorts(app: String?, policy: DegradationPolicy) async throws -> [ProbeCohortReport]
}

/// ``ProbeAPI`` on a local store, reading "now" from the fleet's clock.
public struct LocalProbeAPI: ProbeAPI {
    let store: any ProbeStore
    let clock: any FleetClock

    public init(store: any ProbeStore, clock: any FleetClock) {
        self.store = store
        self.clock = clock
    }

    public func probeSeries(_ query: ProbeSeriesQuery) async throws -> ProbeSeries {
        try query.validate()
        return try await store.probeSeries(query, now: clock.now())
    }

    public func probeWorstSites(app: String?, since: Date, until: Date, limit: Int) async throws -> [ProbeSiteSummary] {
        guard since < until else { throw ProbeQueryError.invalid(field: "since", reason: "must be before until") }
        guard (1...10_000).contains(limit) else { throw ProbeQueryError.invalid(field: "limit", reason: "must be 1…10000") }
        let now = clock.now()
        var sites = try await store.probeWorstSites(app: app, since: since, until: until, limit: limit, now: now)
        // Trends and baselines, one pass per application.
        let trendStep = Swift.max(60, Int(until.timeIntervalSince(since)) / Self.trendPoints)
        for app in Set(sites.map(\.app)) {
            let keys = sites.filter { $0.app == app }.map(\.siteID)
            let trends = try await store.probeGrid(app: app, scopeKind: "site", keys: keys, since: since, until: until, step: trendStep, now: now)
            let baselines = try await siteBaselines(app: app, since: since, until: until)
            for index in sites.indices where sites[index].app == app {
                sites[index].trend = trends.row(sites[index].siteID)?.p95 ?? Array(repeating: nil, count: trends.times.count)
                if let baseline = baselines[sites[index].siteID] {
                    sites[index].baselineP95 = baseline.figures.sketch.quantile(0.95)
                    sites[index].baseline = baseline.kind
                }
            }
        }
        return sites
    }

    /// Points in a worst-site trend (a sparkline's width).
    static let trendPoints = 24

    public func probeHeatmap(app: String, since: Date, until: Date, step: Int?) async throws -> ProbeGrid {
        try ProbeSeriesQuery(app: app, since: since, until: until, step: step).validate()
        return try await store.probeGrid(app: app, scopeKind: "country", keys: nil, since: since, until: until, step: step, now: clock.now())
    }

    /// Each site's baseline for `since..<until`: the same hours over the last 7 days, else the day before.
    func siteBaselines(app: String, since: Date, until: Date) async throws -> [String: ProbeBaseline] {
        var sameHour: [String: ProbeDegradation.Figures] = [:]
        for day in 1...7 {
            let shift = Double(day) * -86_400
            let figures = try await store.probeFigures(
                app: app, scopeKind: "site", resolution: .hour, since: since.addingTimeInterval(shift), until: until.addingTimeInterval(shift))
            for (site, entry) in figures {
                sameHour[site, default: (LatencySketch(), 0)].sketch.merge(entry.sketch)
                sameHour[site, default: (LatencySketch(), 0)].errors += entry.errors
            }
        }
        let historyEnd = Date(timeIntervalSince1970: TimeInterval(ProbeResolution.hour.bucket(of: since)))
        let trailing = try await store.probeFigures(
            app: app, scopeKind: "site", resolution: .hour, since: historyEnd.addingTimeInterval(-86_400), until: historyEnd)
        var result: [String: ProbeBaseline] = [:]
        for site in Set(sameHour.keys).union(trailing.keys) {
            result[site] = ProbeBaseline.first(of: [(sameHour[site], "same-hour"), (trailing[site], "trailing")], minimumSamples: 30)
        }
        return result
    }
}

extension LocalProbeAPI {
    public func probeCohorts(app: String?, policy: DegradationPolicy) async throws -> [ProbeCohortReport] {
        guard policy.window >= 60, policy.window <= 86_400 else { throw ProbeQueryError.invalid(field: "window", reason: "must be 1m…24h") }
        guard policy.factor > 1 else { throw ProbeQueryError.invalid(field: "factor", reason: "must be above 1") }
        let now = clock.now()
        let since = now.addingTimeInterval(-policy.window)
        let apps: [String]
        if let app { apps = [app] } else { apps = try await store.probeApps(since: since) }
        let attributes = try await store.hostCohortAttributes()
        var reports: [ProbeCohortReport] = []
        for app in apps {
            let current = try await store.probeFigures(app: app, scopeKind: "host", resolution: .minute, since: since, until: now)
            let sites = Dictionary(attributes.map { ($0.hostID, $0.siteID) }, uniquingKeysWith: { first, _ in first })
            let baselines = try await baselines(app: app, since: since, now: now, policy: policy, siteOf: sites)
            let degraded = ProbeDegradation.degradedHosts(current: current, baselines: baselines, policy: policy)
            let containers = try await store.containers(of: app, onHosts: Array(degraded.prefix(500).map(\.hostID)))
            let findings = CohortAnalysis.rank(
                degradedHosts: Set(degraded.map(\.hostID)), measuredHosts: Set(current.keys), attributes: attributes)
            let degradedSites = Set(degraded.compactMap { sites[$0.hostID] })
            let measuredSites = Set(current.keys.compactMap { sites[$0] })
            reports.append(
                ProbeCohortReport(
                    app: app, window: policy.window,
                    fleet: current.isEmpty
                        ? nil
                        : ProbePoint(
                            time: since, sketch: LatencySketch.merged(current.values.map(\.sketch)),
                            errors: current.values.reduce(0) { $0 + $1.errors }),
                    measuredHosts: current.count,
                    degraded: degraded.map {
                        DegradedHost(
                            hostID: $0.hostID, siteID: sites[$0.hostID] ?? "", p95: $0.p95, baselineP95: $0.baseline,
                            baseline: $0.baselineKind,
                            errorRate: $0.errorRate, samples: $0.samples, container: containers[$0.hostID])
                    }, degradedSites: degradedSites.count, healthySites: measuredSites.subtracting(degradedSites).count,
                    cohorts: degraded.isEmpty ? [] : Array(findings.prefix(10))))
        }
        return reports.sorted { ($0.degraded.count, $1.app) > ($1.degraded.count, $0.app) }
    }
}

extension LocalProbeAPI {
    /// Each host's baseline for `app`: the same hour of day over the last 7 days; when that holds
    /// too few samples, the host's trailing day before the window; then its theater's trailing day.
    func baselines(app: String, since: Date, now: Date, policy: DegradationPolicy, siteOf: [String: String]) async throws -> [String:
        ProbeBaseline]
    {
        var sameHour: [String: ProbeDegradation.Figures] = [:]
        for day in 1...7 {
            let shift = Double(day) * -86_400
            let figures = try await store.probeFigures(
                app: app, scopeKind: "host", resolution: .hour, since: since.addingTimeInterval(shift), until: now.addingTimeInterval(shift))
            for (host, entry) in figures {
                sameHour[host, default: (LatencySketch(), 0)].sketch.merge(entry.sketch)
                sameHour[host, default: (LatencySketch(), 0)].errors += entry.errors
            }
        }
        // Whole hours before the window: the hour bucket the window starts in holds window samples too.
        let historyEnd = Date(timeIntervalSince1970: TimeInterval(ProbeResolution.hour.bucket(of: since)))
        let historyStart = historyEnd.addingTimeInterval(-policy.baselineSpan)
        let trailing = try await store.probeFigures(app: app, scopeKind: "host", resolution: .hour, since: historyStart, until: historyEnd)
        let siteTrailing = try await store.probeFigures(app: app, scopeKind: "site", resolution: .hour, since: historyStart, until: historyEnd)
        var result: [String: ProbeBaseline] = [:]
        for host in Set(sameHour.keys).union(trailing.keys).union(siteOf.keys) {
            let candidates: [(figures: ProbeDegradation.Figures?, kind: String)] = [
                (sameHour[host], "same-hour"), (trailing[host], "trailing"), (siteOf[host].flatMap { siteTrailing[$0] }, "site"),
            ]
            result[host] = ProbeBaseline.first(of: candidates, minimumSamples: policy.minimumBaselineSamples)
        }
        return result
    }
}

extension LocalProbeAPI: ProbeRegressionSource {
    /// Sites among `sites` with a host whose probes for `app` are degraded over `window`, with the
    /// worst host's figures as the reason.
    public func probeRegressions(app: String, sites: Set<String>, window: TimeInterval) async throws -> [String: String] {
        let reports = try await probeCohorts(app: app, policy: DegradationPolicy(window: window))
        var reasons: [String: String] = [:]
        // Slowest first: the first host seen at a site is its worst.
        for host in reports.first?.degraded ?? [] where sites.contains(host.siteID) && reasons[host.siteID] == nil {
            let ratio = host.baselineP95 > 0 ? host.p95 / host.baselineP95 : 0
            reasons[host.siteID] =
                host.p95 > host.baselineP95 * DegradationPolicy().factor
                ? "p95 \(Int(host.p95.rounded())) ms on \(host.hostID) vs baseline \(Int(host.baselineP95.rounded())) ms "
                    + "(\(String(format: "%.1f", ratio))×, \(host.baseline))"
                : "\(String(format: "%.1f", host.errorRate * 100))% of probes failing on \(host.hostID)"
        }
        return reasons
    }
}

/// A probe query that cannot be answered as asked.
public enum ProbeQueryError: Error, Sendable, Equatable, CustomStringConvertible, InputError {
    case invalid(field: String, reason: String)

    public var description: String {
        switch self {
        case .invalid(let field, let reason): "\(field) \(reason)"
        }
    }
}

extension ProbeSeriesQuery {
    func validate() throws(ProbeQueryError) {
        guard !app.isEmpty else { throw .invalid(field: "app", reason: "is required") }
        guard since < until else { throw .invalid(field: "since", reason: "must be before until") }
        if let step, step < 60 { throw .invalid(field: "step", reason: "must be at least 60 seconds") }
        guard until.timeIntervalSince(since) / Double(effectiveStep(resolution: .minute)) <= 10_000 else {
            throw .invalid(field: "step", reason: "gives more than 10000 points; pick a larger step")
        }
    }
}
