import Foundation
import MarqueeCore

/// Text for upgrade plans in the CLI.
enum UpgradeText {
    static func list(_ upgrades: [Upgrade]) -> String {
        var table = TextTable(columns: [
            .init("PLAN"), .init("STATE"), .init("TARGETS"), .init("HOSTS"), .init("SITES"), .init("ETA", alignRight: true), .init("UPDATED"),
        ])
        for upgrade in upgrades {
            let (done, total) = upgrade.hostProgress
            let counts = upgrade.phaseCounts
            table.append([
                upgrade.id, upgrade.state.rawValue, upgrade.plan.targets.description,
                "\(RolloutText.bar(total == 0 ? 1 : Double(done) / Double(total))) \(done)/\(total)",
                "\(counts[.done, default: 0] + counts[.skipped, default: 0]) done, \(counts[.upgrading, default: 0]) upgrading, \(counts[.halted, default: 0]) halted of \(upgrade.sites.count)",
                upgrade.estimatedSecondsLeft.map { RelativeDuration.format($0) + (upgrade.plan.windows.isEmpty ? "" : " + windows") } ?? "-",
                RelativeTime.describe(upgrade.updatedAt, now: Date()),
            ])
        }
        return table.render()
    }

    static func describe(_ upgrade: Upgrade, now: Date) -> String {
        let (done, total) = upgrade.hostProgress
        var lines = [
            "\(upgrade.id): \(upgrade.plan.targets) on `\(upgrade.plan.select)` — \(upgrade.state.rawValue), hosts \(RolloutText.bar(total == 0 ? 1 : Double(done) / Double(total))) \(done)/\(total)"
        ]
        if let reason = upgrade.reason { lines.append("  reason: \(reason)") }
        if let eta = upgrade.estimatedSecondsLeft {
            lines.append(
                "  about \(RelativeDuration.format(eta)) left at \(RelativeDuration.format(upgrade.secondsPerHost)) per host"
                    + (upgrade.plan.windows.isEmpty ? "" : ", plus waiting for maintenance windows"))
        }
        lines.append("  started by \(upgrade.actor), \(RelativeTime.describe(upgrade.createdAt, now: now))")
        var table = TextTable(columns: [
            .init("WAVE"), .init("SITES", alignRight: true), .init("DONE", alignRight: true), .init("UPGRADING", alignRight: true),
            .init("HALTED", alignRight: true), .init("WAITING", alignRight: true),
        ])
        for (index, wave) in upgrade.waves.enumerated() {
            let sites = wave.compactMap { upgrade.sites[$0] }
            table.append([
                upgrade.hasCanary && index == 0 ? "canary" : "wave \(index + (upgrade.hasCanary ? 0 : 1))", String(sites.count),
                String(sites.filter { $0.phase == .done || $0.phase == .skipped }.count), String(sites.filter { $0.phase == .upgrading }.count),
                String(sites.filter { $0.phase == .halted }.count), String(sites.filter { $0.phase == .queued || $0.phase == .waiting }.count),
            ])
        }
        lines.append(table.render())
        let active = upgrade.sites.values.filter { $0.phase == .upgrading || $0.phase == .halted || ($0.phase == .waiting && $0.reason != nil) }
            .sorted { ($0.phase == .halted ? 0 : 1, $0.siteID) < ($1.phase == .halted ? 0 : 1, $1.siteID) }
        if !active.isEmpty {
            var sites = TextTable(columns: [
                .init("SITE"), .init("PHASE"), .init("HOSTS"), .init("HOST"), .init("STEP"), .init("FOR"), .init("REASON"),
            ])
            for site in active.prefix(40) {
                sites.append([
                    site.siteID, site.phase.rawValue, "\(site.doneHosts.count)/\(site.hosts.count)", site.host ?? "-", site.step?.rawValue ?? "-",
                    site.stepSince.map { RelativeDuration.format(now.timeIntervalSince($0)) } ?? "-", site.reason ?? "",
                ])
            }
            lines.append(sites.render())
            if active.count > 40 { lines.append("… \(active.count - 40) more (use --output json)") }
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ plan: UpgradeDryRun) -> String {
        var lines = [
            "\(plan.name): \(plan.targets) on `\(plan.selector)`",
            "  \(plan.sites) sites, \(plan.hosts) hosts to upgrade (\(plan.alreadyDone) sites already at the targets); one host at a time per site",
            "  windows: \(plan.windows.isEmpty ? "any time" : plan.windows.joined(separator: "; ")) (site local time)",
            "  gates: healthy for \(RelativeDuration.format(plan.gates.healthyFor)), probe p95 ≤ \(plan.gates.probeFactor)× baseline, drain ≤ \(RelativeDuration.format(plan.gates.drainTimeout)), host back ≤ \(RelativeDuration.format(plan.gates.hostTimeout)); max-failed \(plan.maxFailed)",
        ]
        var table = TextTable(columns: [
            .init("WAVE"), .init("SITES", alignRight: true), .init("HOSTS", alignRight: true), .init("START"), .init("END"), .init("FIRST SITES"),
        ])
        let formatter = ISO8601DateFormatter()
        for wave in plan.waves {
            table.append([
                wave.isCanary ? "canary" : "wave \(wave.index + (plan.waves.first?.isCanary == true ? 0 : 1))", String(wave.sites.count),
                String(wave.hosts),
                formatter.string(from: wave.start), formatter.string(from: wave.end),
                wave.sites.prefix(4).joined(separator: ", ") + (wave.sites.count > 4 ? ", …" : ""),
            ])
        }
        lines.append(table.render())
        lines.append(
            "Estimated duration: \(RelativeDuration.format(plan.estimatedSeconds)) (\(Int(UpgradeDryRun.drainEstimate / 60))m drain + \(Int(UpgradeDryRun.installEstimate / 60))m install + healthy-for per host)"
        )
        lines.append("Start it: marquee upgrade start -f FILE")
        return lines.joined(separator: "\n")
    }
}
