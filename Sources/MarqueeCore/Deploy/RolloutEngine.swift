import Foundation

/// The rollout state machine: pure functions from a rollout, what the sites report and the time
/// to the next state and the actions to take. It never reads a clock or a database, so tests
/// drive it with a virtual clock and a tower restart is simply "load and call again".
public enum RolloutEngine {
    /// Advances `rollout` to `now` given the sites' observations.
    public static func advance(_ rollout: inout Rollout, observations: [String: SiteObservation], now: Date) -> [RolloutAction] {
        // A completed rollout still catches up offline sites; a halted one still watches the sites it
        // had started (they succeed, or fail and roll back) but starts no more.
        guard rollout.state.isActive || rollout.state == .completed || rollout.state == .halted else { return [] }
        var actions: [RolloutAction] = []
        if rollout.state == .planned {
            rollout.state = rollout.hasCanary ? .canary : .waves
            actions.append(
                event(
                    rollout, "rollout.started", .notice,
                    "rollout of \(rollout.application) \(rollout.version) to \(rollout.sites.count) sites started\(rollout.hasCanary ? " with \(rollout.waves[0].count) canary site(s)" : "")"
                ))
        }
        let lastWave = rollout.state.isActive ? rollout.currentWave : rollout.waves.count - 1
        for siteID in rollout.sites.keys.sorted() where rollout.sites[siteID]!.wave <= lastWave {
            if rollout.state == .halted, rollout.sites[siteID]?.phase != .progressing { continue }
            step(&rollout, siteID: siteID, observation: observations[siteID], now: now, actions: &actions)
        }
        guard rollout.state.isActive else {
            rollout.updatedAt = now
            return actions
        }
        if rollout.hasCanary, rollout.currentWave == 0,
            let failed = rollout.waves[0].compactMap({ rollout.sites[$0] }).first(where: \.phase.isFailure)
        {
            halt(&rollout, reason: "canary failed at \(failed.siteID): \(failed.reason ?? failed.phase.rawValue)", now: now, actions: &actions)
        } else if rollout.failedCount > rollout.policy.maxFailed {
            let first = rollout.sites.values.filter(\.phase.isFailure).min { ($0.finishedAt ?? now, $0.siteID) < ($1.finishedAt ?? now, $1.siteID) }
            halt(
                &rollout,
                reason:
                    "\(rollout.failedCount) sites failed, more than max-failed \(rollout.policy.maxFailed); first: \(first.map { "\($0.siteID): \($0.reason ?? "")" } ?? "")",
                now: now, actions: &actions)
        } else if waveSettled(rollout, rollout.currentWave) {
            if rollout.currentWave + 1 < rollout.waves.count {
                rollout.currentWave += 1
                rollout.state = .waves
                let number = rollout.currentWave + (rollout.hasCanary ? 0 : 1)
                actions.append(
                    event(
                        rollout, "rollout.wave", .info,
                        "wave \(number)/\(rollout.waves.count - (rollout.hasCanary ? 1 : 0)) of \(rollout.application) \(rollout.version) started: \(rollout.waves[rollout.currentWave].count) sites"
                    ))
            } else {
                rollout.state = .completed
                rollout.finishedAt = now
                actions.append(
                    event(rollout, "rollout.completed", .notice, "rollout of \(rollout.application) \(rollout.version) completed: \(rollout.summary)")
                )
            }
        }
        rollout.updatedAt = now
        return actions
    }

    /// A wave is settled when none of its sites waits to start or is still progressing (offline sites stay pending).
    static func waveSettled(_ rollout: Rollout, _ wave: Int) -> Bool {
        rollout.waves[wave].allSatisfy { siteID in
            guard let site = rollout.sites[siteID] else { return true }
            return site.phase.isSettled || site.phase == .offline
        }
    }

    static func healthyFor(_ rollout: Rollout, wave: Int) -> TimeInterval {
        rollout.hasCanary && wave == 0 ? (rollout.policy.canary?.healthyFor ?? rollout.policy.healthyFor) : rollout.policy.healthyFor
    }

    private static func step(_ rollout: inout Rollout, siteID: String, observation: SiteObservation?, now: Date, actions: inout [RolloutAction]) {
        guard var site = rollout.sites[siteID] else { return }
        defer { rollout.sites[siteID] = site }
        if let observation, observation.lockedDown,
            site.phase == .queued || site.phase == .waitingForWindow || site.phase == .offline || site.phase == .progressing
        {
            // Frozen: nothing placed, removed or failed there until an unlock; the wave does not wait for it.
            site.phase = .offline
            site.reason = "site locked down: frozen; gets \(rollout.version) after it is unlocked"
            return
        }
        switch site.phase {
        case .queued, .waitingForWindow, .offline:
            guard !rollout.paused else { return }
            guard let observation, observation.online else {
                site.phase = .offline
                site.reason = "no host online; the site gets \(rollout.version) when one returns"
                return
            }
            let mine = observation.containers.filter { $0.version == rollout.version }
            if mine.count >= rollout.expectedContainersPerSite, mine.count == observation.containers.count, mine.allSatisfy({ $0.state == .running })
            {
                site.phase = .succeeded
                site.finishedAt = now
                site.reason = "already ran \(rollout.version)"
                return
            }
            guard rollout.policy.windowOpen(at: now, timeZone: observation.timeZone) else {
                site.phase = .waitingForWindow
                let opening = rollout.policy.nextWindowOpening(after: now, timeZone: observation.timeZone)
                site.reason = "outside its maintenance windows; next opens \(opening.map { localTime($0, observation.timeZone) } ?? "never")"
                return
            }
            site.phase = .progressing
            site.startedAt = now
            site.healthySince = nil
            site.reason = "starting \(rollout.version)"
            actions.append(.deploy(siteID: siteID, version: rollout.version))
        case .progressing:
            guard let observation, observation.online else {
                site.phase = .offline
                site.reason = "went offline while \(rollout.version) was starting; retried when it returns"
                return
            }
            let mine = observation.containers.filter { $0.version == rollout.version }
            if let broken = mine.first(where: { $0.state == .failed }) {
                site = fail(
                    rollout, site, reason: "host \(broken.hostID): container \(containerName(broken)) failed: \(broken.detail ?? "exited")", now: now,
                    actions: &actions)
            } else if rollout.policy.autoRollback == .onProbeRegression, let regression = observation.probeRegression {
                site = fail(rollout, site, reason: "probes regressed after \(rollout.version) started: \(regression)", now: now, actions: &actions)
            } else if mine.count >= rollout.expectedContainersPerSite, mine.allSatisfy({ $0.state == .running }) {
                let since = site.healthySince ?? now
                site.healthySince = since
                if now.timeIntervalSince(since) >= healthyFor(rollout, wave: site.wave) {
                    site.phase = .succeeded
                    site.finishedAt = now
                    site.reason = "healthy for \(RelativeDuration.format(now.timeIntervalSince(since)))"
                } else {
                    site.reason = "healthy, watching for \(RelativeDuration.format(healthyFor(rollout, wave: site.wave)))"
                }
            } else {
                site.healthySince = nil
                let waiting = mine.first { $0.state != .running }
                let detail =
                    waiting.map { "host \($0.hostID): container \(containerName($0)) is \($0.state.rawValue)\($0.detail.map { " (\($0))" } ?? "")" }
                    ?? "\(mine.count) of \(rollout.expectedContainersPerSite) containers placed"
                if let started = site.startedAt, now.timeIntervalSince(started) >= rollout.policy.deadline {
                    site = fail(
                        rollout, site, reason: "not healthy within \(RelativeDuration.format(rollout.policy.deadline)): \(detail)", now: now,
                        actions: &actions)
                } else {
                    site.reason = detail
                }
            }
        case .succeeded, .failed, .rolledBack, .skipped, .reverted:
            return
        }
    }

    /// Marks a site failed (reverting it when the policy says so); used for failures the controller finds too.
    public static func fail(_ rollout: inout Rollout, siteID: String, reason: String, now: Date) -> [RolloutAction] {
        guard let site = rollout.sites[siteID] else { return [] }
        var actions: [RolloutAction] = []
        rollout.sites[siteID] = fail(rollout, site, reason: reason, now: now, actions: &actions)
        return actions
    }

    private static func fail(_ rollout: Rollout, _ site: RolloutSite, reason: String, now: Date, actions: inout [RolloutAction]) -> RolloutSite {
        var site = site
        site.finishedAt = now
        if rollout.policy.autoRollback != .off {
            site.phase = .rolledBack
            site.reason = "\(reason); rolled back to \(site.previousVersion ?? "nothing (removed)")"
            actions.append(.deploy(siteID: site.siteID, version: site.previousVersion))
        } else {
            site.phase = .failed
            site.reason = reason
        }
        actions.append(
            .event(
                kind: "rollout.site_failed", severity: .warning, subject: "site/\(site.siteID)",
                message: "\(rollout.application) \(rollout.version) failed at \(site.siteID): \(site.reason ?? reason)"))
        return site
    }

    private static func halt(_ rollout: inout Rollout, reason: String, now: Date, actions: inout [RolloutAction]) {
        rollout.state = .halted
        rollout.reason = reason
        rollout.finishedAt = now
        skipUnstarted(&rollout, reason: "not started: the rollout halted")
        actions.append(event(rollout, "rollout.halted", .critical, "rollout of \(rollout.application) \(rollout.version) halted: \(reason)"))
    }

    private static func skipUnstarted(_ rollout: inout Rollout, reason: String) {
        for (siteID, site) in rollout.sites where [.queued, .waitingForWindow, .offline].contains(site.phase) {
            rollout.sites[siteID]?.phase = .skipped
            rollout.sites[siteID]?.reason = reason
        }
    }

    /// An operator's command on a rollout.
    public enum Command: String, Codable, Sendable, CaseIterable {
        case pause, resume, abort, rollback
    }

    /// Applies an operator's command; throws a message when it does not apply in this state.
    public static func apply(_ command: Command, to rollout: inout Rollout, actor: String, now: Date) throws(RolloutCommandError) -> [RolloutAction] {
        var actions: [RolloutAction] = []
        switch command {
        case .pause:
            guard rollout.state.isActive else { throw RolloutCommandError(rollout: rollout, command: command) }
            guard !rollout.paused else { return [] }
            rollout.paused = true
        case .resume:
            guard rollout.state.isActive else { throw RolloutCommandError(rollout: rollout, command: command) }
            guard rollout.paused else { return [] }
            rollout.paused = false
        case .abort:
            guard rollout.state.isActive else { throw RolloutCommandError(rollout: rollout, command: command) }
            rollout.state = .aborted
            rollout.reason = "aborted by \(actor)"
            rollout.finishedAt = now
            skipUnstarted(&rollout, reason: "not started: the rollout was aborted")
        case .rollback:
            guard rollout.state != .rolledBack else { throw RolloutCommandError(rollout: rollout, command: command) }
            for (siteID, site) in rollout.sites.sorted(by: { $0.key < $1.key }) {
                switch site.phase {
                case .progressing, .succeeded, .failed:
                    rollout.sites[siteID]?.phase = .reverted
                    rollout.sites[siteID]?.reason = "reverted to \(site.previousVersion ?? "nothing (removed)") by \(actor)"
                    rollout.sites[siteID]?.finishedAt = now
                    actions.append(.deploy(siteID: siteID, version: site.previousVersion))
                case .queued, .waitingForWindow, .offline:
                    rollout.sites[siteID]?.phase = .skipped
                    rollout.sites[siteID]?.reason = "not started: the rollout was rolled back"
                case .rolledBack, .skipped, .reverted:
                    break
                }
            }
            rollout.state = .rolledBack
            rollout.reason = "rolled back by \(actor)"
            rollout.finishedAt = now
        }
        rollout.updatedAt = now
        let verb = ["pause": "paused", "resume": "resumed", "abort": "aborted", "rollback": "rolled back"][command.rawValue] ?? command.rawValue
        actions.append(
            event(rollout, "rollout.\(command.rawValue)", .notice, "rollout of \(rollout.application) \(rollout.version) \(verb) by \(actor)"))
        return actions
    }

    static func event(_ rollout: Rollout, _ kind: String, _ severity: Event.Severity, _ message: String) -> RolloutAction {
        .event(kind: kind, severity: severity, subject: "rollout/\(rollout.id)", message: message)
    }

    static func containerName(_ container: ContainerInstance) -> String {
        container.id.split(separator: "/").dropFirst().joined(separator: "/")
    }

    static func localTime(_ date: Date, _ timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE HH:mm"
        return "\(formatter.string(from: date)) local"
    }
}

/// An operator's command that does not apply to the rollout's state.
public struct RolloutCommandError: Error, Sendable, CustomStringConvertible, InputError {
    public var rollout: String
    public var state: Rollout.State
    public var command: RolloutEngine.Command

    init(rollout: Rollout, command: RolloutEngine.Command) {
        self.rollout = rollout.id
        self.state = rollout.state
        self.command = command
    }

    public var description: String {
        "cannot \(command.rawValue) rollout \(rollout): it is \(state.rawValue)"
            + (command == .resume && state == .halted ? "; fix the cause and apply a new version, or roll back" : "")
    }
}
