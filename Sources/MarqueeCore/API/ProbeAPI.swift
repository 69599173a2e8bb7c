import Foundation

/// Storage of probe latency series.
public protocol ProbeStore: Sendable {
    /// Merges samples or backfilled sketches into the stored series, in one transaction.
    func recordProbes(_ accumulator: ProbeAccumulator) async throws
    /// Deletes buckets past their retention; returns how many.
    func compactProbes(now: Date) async throws -> Int
    func probeSeries(_ query: ProbeSeriesQuery, now: Date) async throws -> ProbeSeries
    func probeWorstSites(app: String?, since: Date, until: Date, limit: Int, now: Date) async throws -> [ProbeSiteSummary]
}

extension SQLiteFleetStore: ProbeStore {}

/// Probe queries, local or through a tower (``HTTPFleetAPI``).
public protocol ProbeAPI: Sendable {
    /// p50/p95/p99 over time for one application and scope.
    func probeSeries(_ query: ProbeSeriesQuery) async throws -> ProbeSeries
    /// Sites with the worst p95 over `since..<until` (all applications unless `app`).
    func probeWorstSites(app: String?, since: Date, until: Date, limit: Int) async throws -> [ProbeSiteSummary]
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
        return try await store.probeWorstSites(app: app, since: since, until: until, limit: limit, now: clock.now())
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
