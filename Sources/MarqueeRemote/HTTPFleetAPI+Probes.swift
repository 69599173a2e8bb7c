import Foundation
import MarqueeCore

/// ``ProbeAPI`` against a tower: `marquee probes … --tower URL`.
extension HTTPFleetAPI: ProbeAPI {
    public func probeSeries(_ query: ProbeSeriesQuery) async throws -> ProbeSeries {
        let formatter = ISO8601DateFormatter()
        return try await get(
            "/v1/probes/series",
            query: [
                ("app", query.app), ("scope", query.scope.description), ("since", formatter.string(from: query.since)),
                ("until", formatter.string(from: query.until)), ("step", query.step.map(String.init)),
            ])
    }

    public func probeWorstSites(app: String?, since: Date, until: Date, limit: Int) async throws -> [ProbeSiteSummary] {
        let formatter = ISO8601DateFormatter()
        let list: List<ProbeSiteSummary> = try await get(
            "/v1/probes/top",
            query: [("app", app), ("since", formatter.string(from: since)), ("until", formatter.string(from: until)), ("limit", String(limit))])
        return list.items
    }

    public func probeHeatmap(app: String, since: Date, until: Date, step: Int?) async throws -> ProbeGrid {
        let formatter = ISO8601DateFormatter()
        return try await get(
            "/v1/probes/heatmap",
            query: [
                ("app", app), ("since", formatter.string(from: since)), ("until", formatter.string(from: until)), ("step", step.map(String.init)),
            ])
    }

    public func probeCohorts(app: String?, policy: DegradationPolicy) async throws -> [ProbeCohortReport] {
        let list: List<ProbeCohortReport> = try await get(
            "/v1/probes/cohorts", query: [("app", app), ("window", String(Int(policy.window))), ("factor", String(policy.factor))])
        return list.items
    }
}
