import Foundation
import MarqueeCore

/// What the probe screens show, read in one go: each application's judgement, its fleet
/// percentiles over the last hours, the worst theaters and the alerts.
public struct ProbeOverview: Sendable, Equatable {
    /// Degraded hosts and cohorts per application, most degraded first.
    public var reports: [ProbeCohortReport]
    /// Fleet p50/p95/p99 per application over ``trendSpan``.
    public var trends: [String: ProbeSeries]
    /// Theaters with the worst p95 over the last 15 minutes, with trend and baseline.
    public var worst: [ProbeSiteSummary]
    /// Degradation alerts of the last week, active first.
    public var alerts: [ProbeAlert]

    public init(reports: [ProbeCohortReport], trends: [String: ProbeSeries] = [:], worst: [ProbeSiteSummary] = [], alerts: [ProbeAlert] = []) {
        self.reports = reports
        self.trends = trends
        self.worst = worst
        self.alerts = alerts
    }

    /// How far back the per-application sparklines reach, and their step.
    static let trendSpan: TimeInterval = 6 * 3_600
    static let trendStep = 900
    /// The worst-theaters range: the judgement's window (an hour of every theater's minutes is
    /// four times the reading, for a list that changes little).
    static let worstSpan: TimeInterval = 900

    /// Reads everything at the fleet's time `now`; events come from `fleet` when given.
    public static func load(probes: any ProbeAPI, fleet: (any FleetAPI)?, now: Date) async throws -> ProbeOverview {
        let reports = try await probes.probeCohorts(app: nil, policy: DegradationPolicy())
        var trends: [String: ProbeSeries] = [:]
        for report in reports {
            trends[report.app] = try await probes.probeSeries(
                ProbeSeriesQuery(app: report.app, scope: .fleet, since: now.addingTimeInterval(-trendSpan), until: now, step: trendStep))
        }
        let worst = try await probes.probeWorstSites(app: nil, since: now.addingTimeInterval(-worstSpan), until: now, limit: 100)
        let events = try await fleet?.events(EventQuery(limit: 10_000, since: now.addingTimeInterval(-7 * 86_400), kindPrefix: "probe.")) ?? []
        return ProbeOverview(reports: reports, trends: trends, worst: worst, alerts: ProbeAlert.alerts(from: events))
    }
}
