import Foundation
import MarqueeCore

/// Tables of the upgrade screens: every plan, and one plan's sites host by host.
enum UpgradeTables {
    static func upgrades(_ upgrades: [Upgrade], now: Date) -> TableModel {
        let columns = [
            TableColumn("PLAN", sortKey: "I", priority: 0, maxWidth: 30),
            TableColumn("STATE", sortKey: "S", priority: 0, maxWidth: 10),
            TableColumn("HOSTS", sortKey: "P", priority: 0, maxWidth: 24, numeric: true),
            TableColumn("TARGETS", sortKey: "T", priority: 1, maxWidth: 40),
            TableColumn("SITES", sortKey: "N", priority: 1, maxWidth: 40),
            TableColumn("IN FLIGHT", sortKey: "F", priority: 1, maxWidth: 40),
            TableColumn("ETA", alignRight: true, sortKey: "E", priority: 1, maxWidth: 18, numeric: true),
            TableColumn("UPDATED", alignRight: true, sortKey: "U", priority: 2, maxWidth: 10, numeric: true),
        ]
        let rows = upgrades.map { upgrade -> TableRow in
            let (done, total) = upgrade.hostProgress
            let ratio = total == 0 ? 1 : Double(done) / Double(total)
            let counts = upgrade.phaseCounts
            let inFlight = upgrade.sites.values.filter { $0.host != nil }.sorted { $0.siteID < $1.siteID }
            return TableRow(
                id: upgrade.id,
                cells: [
                    upgrade.id, upgrade.state.rawValue, "\(Gauge.text(ratio: ratio, width: 8)) \(done)/\(total)", upgrade.plan.targets.description,
                    "\(counts[.done, default: 0] + counts[.skipped, default: 0]) done · \(counts[.upgrading, default: 0]) upgrading · \(counts[.halted, default: 0]) halted",
                    inFlight.prefix(2).map { "\($0.host ?? "") \($0.step?.rawValue ?? "")" }.joined(separator: ", ")
                        + (inFlight.count > 2 ? " +\(inFlight.count - 2)" : ""),
                    upgrade.estimatedSecondsLeft.map { RelativeDuration.format($0) + (upgrade.plan.windows.isEmpty ? "" : " + windows") } ?? "-",
                    RelativeTime.describe(upgrade.updatedAt, now: now),
                ],
                styles: [
                    nil, role(upgrade.state), upgrade.state == .halted ? .gaugeFault : .gaugeOK, nil,
                    counts[.halted, default: 0] > 0 ? .statusCritical : nil, nil, nil, nil,
                ],
                sortValues: [
                    .text(upgrade.id), .text(upgrade.state.rawValue), .number(ratio), .text(upgrade.plan.targets.description),
                    .number(Double(counts[.halted, default: 0])), .number(Double(inFlight.count)), .number(upgrade.estimatedSecondsLeft ?? -1),
                    .number(now.timeIntervalSince(upgrade.updatedAt)),
                ])
        }
        return TableModel(columns: columns, rows: rows)
    }

    /// A plan's sites: halted first, then upgrading, waiting, queued, done.
    static func sites(of upgrade: Upgrade?, now: Date) -> TableModel {
        let columns = [
            TableColumn("THEATER", sortKey: "I", priority: 0, maxWidth: 14),
            TableColumn("WAVE", sortKey: "W", priority: 1, maxWidth: 7),
            TableColumn("PHASE", sortKey: "P", priority: 0, maxWidth: 10),
            TableColumn("HOSTS", sortKey: "H", priority: 0, maxWidth: 16, numeric: true),
            TableColumn("HOST", sortKey: "O", priority: 0, maxWidth: 16),
            TableColumn("STEP", sortKey: "S", priority: 0, maxWidth: 34),
            TableColumn("FOR", alignRight: true, sortKey: "F", priority: 2, maxWidth: 8, numeric: true),
            TableColumn("REASON", sortKey: "R", priority: 1, maxWidth: 90, flexible: true),
        ]
        guard let upgrade else { return TableModel(columns: columns, rows: []) }
        let order: [SiteUpgrade.Phase] = [.halted, .upgrading, .waiting, .queued, .done, .skipped]
        let ordered = upgrade.sites.values.sorted {
            (order.firstIndex(of: $0.phase) ?? 9, $0.wave, $0.siteID) < (order.firstIndex(of: $1.phase) ?? 9, $1.wave, $1.siteID)
        }
        let rows = ordered.map { site -> TableRow in
            let ratio = site.hosts.isEmpty ? (site.phase.isFinished ? 1 : 0) : Double(site.doneHosts.count) / Double(site.hosts.count)
            let since = site.stepSince.map { now.timeIntervalSince($0) }
            return TableRow(
                id: site.siteID,
                cells: [
                    site.siteID, upgrade.hasCanary && site.wave == 0 ? "canary" : "\(site.wave + (upgrade.hasCanary ? 0 : 1))", site.phase.rawValue,
                    "\(Gauge.text(ratio: ratio, width: 5)) \(site.doneHosts.count)/\(site.hosts.count)", site.host ?? "-", pipeline(site.step),
                    since.map(RelativeDuration.format) ?? "-", site.reason ?? "",
                ],
                styles: [
                    nil, nil, role(site.phase), site.phase == .halted ? .gaugeFault : .gaugeOK, nil, site.step == nil ? nil : .statusPending, nil,
                    site.phase == .halted ? .statusCritical : nil,
                ],
                sortValues: [
                    .text(site.siteID), .number(Double(site.wave)), .number(Double(order.firstIndex(of: site.phase) ?? 9)), .number(ratio),
                    .text(site.host ?? ""), .number(Double(site.step.flatMap { SiteUpgrade.Step.allCases.firstIndex(of: $0) } ?? -1)),
                    .number(since ?? -1), .text(site.reason ?? ""),
                ])
        }
        return TableModel(columns: columns, rows: rows)
    }

    /// `cordon › drain › [UPGRADE] › gate`: the host's steps with the current one in capitals.
    static func pipeline(_ step: SiteUpgrade.Step?) -> String {
        guard let step else { return "-" }
        return SiteUpgrade.Step.allCases.map { $0 == step ? "[\($0.rawValue.uppercased())]" : $0.rawValue }.joined(separator: " › ")
    }

    static func role(_ state: Upgrade.State) -> StyleRole {
        switch state {
        case .running: .statusPending
        case .paused: .statusWarn
        case .halted, .aborted: .statusCritical
        case .completed: .statusOK
        }
    }

    static func role(_ phase: SiteUpgrade.Phase) -> StyleRole {
        switch phase {
        case .upgrading: .statusPending
        case .waiting, .queued: .statusUnknown
        case .halted: .statusCritical
        case .done, .skipped: .statusOK
        }
    }
}
