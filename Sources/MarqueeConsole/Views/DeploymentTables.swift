import Foundation
import MarqueeCore

/// Tables of the deployment screens: applications, rollouts, one rollout's sites.
enum DeploymentTables {
    static func apps(_ apps: [ApplicationStatus]) -> TableModel {
        let columns = [
            TableColumn("APP", sortKey: "A", priority: 0, maxWidth: 22),
            TableColumn("TENANT", sortKey: "T", priority: 2, maxWidth: 20),
            TableColumn("TARGET", sortKey: "V", priority: 0, maxWidth: 12),
            TableColumn("VERSIONS AT SITES", sortKey: "S", priority: 1, maxWidth: 30),
            TableColumn("RUNNING", alignRight: true, sortKey: "R", priority: 0, numeric: true),
            TableColumn("PENDING", alignRight: true, sortKey: "P", priority: 0, numeric: true),
            TableColumn("FAILED", alignRight: true, sortKey: "F", priority: 0, numeric: true),
            TableColumn("ROLLOUT", sortKey: "O", priority: 1, maxWidth: 70),
        ]
        let ordered = apps.sorted { ($1.sitesFailed, $1.sitesPending, $0.name) < ($0.sitesFailed, $0.sitesPending, $1.name) }
        let rows = ordered.map { app -> TableRow in
            let versions = app.versions.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
            let mixed = app.versions.count > 1
            return TableRow(
                id: app.name,
                cells: [
                    app.name, app.tenant, app.targetVersion ?? "-", versions, "\(app.sitesRunning)", "\(app.sitesPending)", "\(app.sitesFailed)",
                    app.rolloutSummary.map { "\(app.rollout ?? "") · \($0)" } ?? "-",
                ],
                styles: [
                    nil, nil, nil, mixed ? .statusPending : nil, nil, app.sitesPending > 0 ? .statusWarn : nil,
                    app.sitesFailed > 0 ? .statusCritical : nil, nil,
                ],
                sortValues: [
                    .text(app.name), .text(app.tenant), .text(app.targetVersion ?? ""), .text(versions), .number(Double(app.sitesRunning)),
                    .number(Double(app.sitesPending)), .number(Double(app.sitesFailed)), .text(app.rollout ?? ""),
                ])
        }
        return TableModel(columns: columns, rows: rows)
    }

    static func rollouts(_ rollouts: [RolloutSummary], now: Date) -> TableModel {
        let columns = [
            TableColumn("ROLLOUT", sortKey: "I", priority: 0, maxWidth: 30),
            TableColumn("STATE", sortKey: "S", priority: 0, maxWidth: 18),
            TableColumn("PROGRESS", sortKey: "P", priority: 0, maxWidth: 16, numeric: true),
            TableColumn("SITES", alignRight: true, sortKey: "N", priority: 1, numeric: true),
            TableColumn("FAILED", alignRight: true, sortKey: "F", priority: 0, numeric: true),
            TableColumn("SUMMARY", sortKey: "M", priority: 1, maxWidth: 70),
            TableColumn("UPDATED", alignRight: true, sortKey: "U", priority: 2, maxWidth: 10, numeric: true),
        ]
        let rows = rollouts.map { rollout -> TableRow in
            let failed = (rollout.phases["failed"] ?? 0) + (rollout.phases["rolled-back"] ?? 0)
            let state = rollout.paused ? "\(rollout.state.rawValue) (paused)" : rollout.state.rawValue
            return TableRow(
                id: rollout.id,
                cells: [
                    rollout.id, state, Gauge.text(ratio: rollout.progress, width: 10), "\(rollout.sites)", "\(failed)",
                    rollout.reason ?? rollout.summary, RelativeTime.describe(rollout.updatedAt, now: now),
                ],
                styles: [
                    nil, role(rollout.state, paused: rollout.paused), rollout.state == .halted ? .gaugeFault : .gaugeOK, nil,
                    failed > 0 ? .statusCritical : nil, rollout.state == .halted ? .statusCritical : nil, nil,
                ],
                sortValues: [
                    .text(rollout.id), .text(state), .number(rollout.progress), .number(Double(rollout.sites)), .number(Double(failed)),
                    .text(rollout.summary), .number(now.timeIntervalSince(rollout.updatedAt)),
                ])
        }
        return TableModel(columns: columns, rows: rows)
    }

    /// A rollout's sites that are not simply done: failures first, then in progress, then waiting.
    static func sites(of rollout: Rollout?, data: FleetData, now: Date) -> TableModel {
        let columns = [
            TableColumn("SITE", sortKey: "I", priority: 0, maxWidth: 14),
            TableColumn("CITY", sortKey: "C", priority: 3, maxWidth: 16),
            TableColumn("WAVE", sortKey: "W", priority: 1, maxWidth: 7),
            TableColumn("PHASE", sortKey: "P", priority: 0, maxWidth: 18),
            TableColumn("FOR", alignRight: true, sortKey: "F", priority: 2, maxWidth: 8, numeric: true),
            TableColumn("REASON", sortKey: "R", priority: 0, maxWidth: 110, flexible: true),
        ]
        guard let rollout else { return TableModel(columns: columns, rows: []) }
        let order: [RolloutSite.Phase] = [.failed, .rolledBack, .progressing, .waitingForWindow, .offline, .queued, .reverted, .skipped, .succeeded]
        let ordered = rollout.sites.values.sorted {
            ((order.firstIndex(of: $0.phase) ?? 9), $0.wave, $0.siteID) < ((order.firstIndex(of: $1.phase) ?? 9), $1.wave, $1.siteID)
        }
        let rows = ordered.map { site -> TableRow in
            let wave = rollout.hasCanary && site.wave == 0 ? "canary" : "\(site.wave + (rollout.hasCanary ? 0 : 1))"
            let since = site.finishedAt ?? site.startedAt
            return TableRow(
                id: site.siteID,
                cells: [
                    site.siteID, data.sitesByID[site.siteID]?.site.city ?? "", wave, site.phase.rawValue,
                    since.map { RelativeDuration.format(now.timeIntervalSince($0)) } ?? "", shortReason(site),
                ],
                styles: [nil, nil, nil, role(site.phase), nil, site.phase.isFailure ? .statusCritical : nil],
                sortValues: [
                    .text(site.siteID), .text(data.sitesByID[site.siteID]?.site.city ?? ""), .number(Double(site.wave)),
                    .number(Double(order.firstIndex(of: site.phase) ?? 9)), .number(since.map { now.timeIntervalSince($0) } ?? 0),
                    .text(site.reason ?? ""),
                ],
                labels: data.sitesByID[site.siteID]?.site.labels)
        }
        return TableModel(columns: columns, rows: rows)
    }

    /// The reason without what the row already says: `h1: hvac-monitor/monitor-0 failed: …`.
    static func shortReason(_ site: RolloutSite) -> String {
        (site.reason ?? "").replacingOccurrences(of: "host \(site.siteID)-", with: "").replacingOccurrences(of: ": container ", with: ": ")
    }

    static func role(_ state: Rollout.State, paused: Bool) -> StyleRole {
        if paused { return .statusWarn }
        switch state {
        case .planned, .canary, .waves: return .statusPending
        case .completed: return .statusOK
        case .halted, .rolledBack: return .statusCritical
        case .aborted: return .statusWarn
        }
    }

    static func role(_ phase: RolloutSite.Phase) -> StyleRole {
        switch phase {
        case .succeeded: .statusOK
        case .failed, .rolledBack: .statusCritical
        case .progressing: .statusPending
        case .waitingForWindow, .offline, .queued: .statusWarn
        case .skipped, .reverted: .statusUnknown
        }
    }
}
