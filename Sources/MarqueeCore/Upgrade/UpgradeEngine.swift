import Foundation

/// The upgrade state machine: pure, driven by observations and a clock.
///
/// Per site, strictly one host at a time: cordon → drain → upgrade (the agent installs the targets
/// and usually reboots) → gate (back with the target versions, uncordoned, the site healthy and its
/// probes not regressed for `healthy-for`) → next host. A failed step halts that site (it keeps
/// serving on its other hosts); more halted sites than `max-failed` halts the plan. Hosts in flight
/// always finish their steps, whatever the plan's state, so nothing is left cordoned by accident.
public enum UpgradeEngine {
    /// Advances `upgrade` to `now`; returns what the tower must do.
    ///
    /// - Parameter heartbeat: the agents' heartbeat interval (a host silent for two is rebooting).
    public static func advance(
        _ upgrade: inout Upgrade, observations: [String: UpgradeSiteObservation], now: Date, heartbeat: TimeInterval
    ) -> [UpgradeAction] {
        var actions: [UpgradeAction] = []
        let wave = upgrade.currentWave
        for (index, siteIDs) in upgrade.waves.enumerated() {
            for siteID in siteIDs {
                guard var site = upgrade.sites[siteID], !site.phase.isFinished else { continue }
                // Later waves wait, except a site with a host in flight (a resumed or reloaded plan).
                guard site.host != nil || (wave.map { index <= $0 } ?? false) else { continue }
                guard let observation = observations[siteID] else { continue }
                advance(&site, upgrade: upgrade, observation: observation, now: now, heartbeat: heartbeat, actions: &actions)
                if site.phase == .halted { halted(site, upgrade: &upgrade, now: now, actions: &actions) }
                upgrade.sites[siteID] = site
            }
        }
        if upgrade.state == .running, upgrade.sites.values.allSatisfy(\.phase.isFinished) {
            upgrade.state = .completed
            let counts = upgrade.phaseCounts
            actions.append(
                .event(
                    kind: "upgrade.completed", severity: .notice, subject: "upgrade/\(upgrade.id)",
                    message:
                        "\(upgrade.id) completed: \(upgrade.hostProgress.done) hosts at \(upgrade.plan.targets); \(counts[.done, default: 0]) sites done, \(counts[.skipped, default: 0]) skipped, \(counts[.halted, default: 0]) halted"
                ))
        }
        if !actions.isEmpty { upgrade.updatedAt = now }
        return actions
    }

    private static func advance(
        _ site: inout SiteUpgrade, upgrade: Upgrade, observation: UpgradeSiteObservation, now: Date, heartbeat: TimeInterval,
        actions: inout [UpgradeAction]
    ) {
        if site.phase == .queued {
            site.phase = .waiting
            site.hosts = observation.hosts.filter { !upgrade.plan.targets.isMet(by: $0) }.map(\.id).sorted()
        }
        guard let hostID = site.host, let step = site.step else {
            startNextHost(&site, upgrade: upgrade, observation: observation, now: now, actions: &actions)
            return
        }
        let host = observation.host(hostID)
        let since = site.stepSince ?? now
        let fresh = host?.lastSeen.map { now.timeIntervalSince($0) <= 2 * heartbeat } ?? false
        let gates = upgrade.plan.gates
        // Hosts already upgraded serve while the next one moves: a regression they show halts the theater
        // at once, whatever step the host in flight is at (its own gate judges it otherwise).
        if step != .gate, !site.doneHosts.isEmpty, let regression = observation.probeRegression {
            // A host still on the old versions goes back to work; one being upgraded stays out.
            actions.append(step == .upgrade ? .cordon(hostID: hostID) : .uncordon(hostID: hostID))
            halt(
                &site, "probes regressed after \(site.doneHosts.joined(separator: ", ")) moved to \(upgrade.plan.targets): \(regression)",
                now: now)
            return
        }
        switch step {
        case .cordon:
            if host?.status == .cordoned {
                move(&site, to: .drain, now: now)
                site.reason = "\(hostID): moving its instances to the other hosts"
            } else {
                actions.append(.cordon(hostID: hostID))
            }
        case .drain:
            let left = observation.containers[hostID] ?? []
            if left.isEmpty {
                actions.append(.orderUpgrade(hostID: hostID))
                move(&site, to: .upgrade, now: now)
                site.wentDown = false
                site.reason = "\(hostID): installing \(upgrade.plan.targets)"
            } else if now.timeIntervalSince(since) >= gates.drainTimeout {
                actions.append(.uncordon(hostID: hostID))
                let names = left.prefix(3).map { "\($0.app)/\($0.service)" }.joined(separator: ", ")
                halt(
                    &site,
                    "drain of \(hostID) did not finish within \(RelativeDuration.format(gates.drainTimeout)): \(left.count) instance(s) still on it (\(names))\(observation.drainProblem.map { "; \($0)" } ?? "")",
                    now: now)
            } else {
                site.reason = "\(hostID): \(left.count) instance(s) still to move\(observation.drainProblem.map { " (\($0))" } ?? "")"
            }
        case .upgrade:
            guard let host else {
                halt(&site, "\(hostID) is no longer in the fleet", now: now)
                return
            }
            if !fresh { site.wentDown = true }
            let back = fresh && (host.lastSeen ?? .distantPast) > since
            if back, upgrade.plan.targets.isMet(by: host) {
                actions.append(.uncordon(hostID: hostID))
                actions.append(
                    .event(
                        kind: "upgrade.host_rejoined", severity: .info, subject: "host/\(hostID)",
                        message: "\(hostID) is back with \(upgrade.plan.targets) after \(RelativeDuration.format(now.timeIntervalSince(since)))"))
                move(&site, to: .gate, now: now)
                site.reason = "\(hostID): back; watching the site for \(RelativeDuration.format(gates.healthyFor))"
            } else if back, site.wentDown {
                actions.append(.cordon(hostID: hostID))
                let wrong = upgrade.plan.targets.differences(from: host).map { "reports \($0.replacingOccurrences(of: " → ", with: ", expected "))" }
                halt(&site, "\(hostID) came back without the targets: \(wrong.joined(separator: "; "))", now: now)
            } else if now.timeIntervalSince(since) >= gates.hostTimeout {
                actions.append(.cordon(hostID: hostID))
                let seen = host.lastSeen.map { "last seen \(RelativeDuration.format(now.timeIntervalSince($0))) ago" } ?? "never seen"
                halt(
                    &site,
                    "\(hostID) did not come back with \(upgrade.plan.targets) within \(RelativeDuration.format(gates.hostTimeout)) (\(seen)); the site serves on its other hosts",
                    now: now)
            } else {
                site.reason = site.wentDown ? "\(hostID): rebooting" : "\(hostID): installing \(upgrade.plan.targets)"
            }
        case .gate:
            if let regression = observation.probeRegression {
                actions.append(.cordon(hostID: hostID))
                halt(&site, "probes regressed after \(hostID) moved to \(upgrade.plan.targets): \(regression)", now: now)
                return
            }
            let worse = observation.worseThan(site.notRunningBefore)
            if fresh, worse.isEmpty {
                let healthySince = site.healthySince ?? now
                site.healthySince = healthySince
                if now.timeIntervalSince(healthySince) >= gates.healthyFor {
                    site.doneHosts.append(hostID)
                    actions.append(
                        .event(
                            kind: "upgrade.host_done", severity: .info, subject: "host/\(hostID)",
                            message: "\(hostID) upgraded to \(upgrade.plan.targets) and healthy for \(RelativeDuration.format(gates.healthyFor))"))
                    (site.host, site.step, site.stepSince, site.healthySince) = (nil, nil, nil, nil)
                    startNextHost(&site, upgrade: upgrade, observation: observation, now: now, actions: &actions)
                } else {
                    site.reason = "\(hostID): healthy, watching for \(RelativeDuration.format(gates.healthyFor))"
                }
            } else {
                site.healthySince = nil
                let why = fresh ? "instances not running at the site: \(worse.joined(separator: ", "))" : "\(hostID) is not calling home"
                if now.timeIntervalSince(since) >= gates.hostTimeout {
                    actions.append(.cordon(hostID: hostID))
                    halt(&site, "gate for \(hostID) did not pass within \(RelativeDuration.format(gates.hostTimeout)): \(why)", now: now)
                } else {
                    site.reason = "\(hostID): gate waiting: \(why)"
                }
            }
        }
    }

    /// Starts the site's next host that still needs the targets, or finishes the site.
    private static func startNextHost(
        _ site: inout SiteUpgrade, upgrade: Upgrade, observation: UpgradeSiteObservation, now: Date, actions: inout [UpgradeAction]
    ) {
        var offline: [String] = []
        for hostID in site.hosts where !site.doneHosts.contains(hostID) {
            guard let host = observation.host(hostID) else { continue }
            if upgrade.plan.targets.isMet(by: host) { continue }
            if host.status == .offline || host.status == .pending || host.status == .revoked {
                offline.append(hostID)
                continue
            }
            guard upgrade.state == .running else {
                site.reason = upgrade.state == .paused ? "paused" : "not started: the plan is \(upgrade.state.rawValue)"
                return
            }
            guard !observation.lockedDown else {
                site.reason = "site locked down: frozen; its hosts upgrade after it is unlocked"
                return
            }
            guard upgrade.plan.windowOpen(at: now, timeZone: observation.timeZone) else {
                let opening = upgrade.plan.rolloutPolicy.nextWindowOpening(after: now, timeZone: observation.timeZone)
                site.reason =
                    "outside its maintenance windows; next opens \(opening.map { RolloutEngine.localTime($0, observation.timeZone) } ?? "never")"
                return
            }
            if site.phase != .upgrading {
                site.phase = .upgrading
                site.startedAt = site.startedAt ?? now
                site.notRunningBefore = site.notRunningBefore ?? observation.notRunningByService
            }
            site.host = hostID
            move(&site, to: .cordon, now: now)
            site.reason = "\(hostID): cordoned"
            actions.append(.cordon(hostID: hostID))
            return
        }
        site.phase = site.doneHosts.isEmpty ? .skipped : .done
        site.finishedAt = now
        let skipped = offline.isEmpty ? "" : "; not upgraded (offline): \(offline.joined(separator: ", "))"
        site.reason =
            site.doneHosts.isEmpty
            ? (offline.isEmpty ? "every host already runs \(upgrade.plan.targets)" : "no host online to upgrade\(skipped)")
            : "\(site.doneHosts.count) host(s) upgraded\(skipped)"
    }

    private static func move(_ site: inout SiteUpgrade, to step: SiteUpgrade.Step, now: Date) {
        site.step = step
        site.stepSince = now
        site.healthySince = nil
    }

    private static func halt(_ site: inout SiteUpgrade, _ reason: String, now: Date) {
        site.phase = .halted
        site.reason = reason
        site.finishedAt = now
        (site.host, site.step, site.stepSince, site.healthySince) = (nil, nil, nil, nil)
    }

    /// Records a halted site and halts the plan past `max-failed`.
    private static func halted(_ site: SiteUpgrade, upgrade: inout Upgrade, now: Date, actions: inout [UpgradeAction]) {
        actions.append(
            .event(
                kind: "upgrade.site_halted", severity: .warning, subject: "site/\(site.siteID)",
                message: "\(upgrade.id) halted at \(site.siteID): \(site.reason ?? "")"))
        let halted = upgrade.sites.values.filter { $0.phase == .halted && $0.siteID != site.siteID }.count + 1
        guard halted > upgrade.plan.maxFailed, upgrade.state.isActive else { return }
        upgrade.state = .halted
        upgrade.reason = "\(halted) site(s) halted, more than max-failed \(upgrade.plan.maxFailed); first: \(site.siteID): \(site.reason ?? "")"
        actions.append(.event(kind: "upgrade.halted", severity: .critical, subject: "upgrade/\(upgrade.id)", message: upgrade.reason ?? ""))
    }
}
