import Foundation
import Logging

/// Runs upgrade plans: dry runs, start, tick (advance every working plan and carry out its
/// actions), and the operator's pause / resume / abort.
///
/// Steps act through the store (host status, upgrade orders) and `desiredStateChanged` (agents
/// learn of an order or an uncordon with their desired state); the deployment engine's
/// rescheduler moves instances off cordoned hosts, each replacement running before the old one stops.
public struct UpgradeService: Sendable {
    public typealias Store = UpgradeStore & InventoryReading

    let store: any Store
    let clock: any FleetClock
    let logger: Logger
    /// The agents' heartbeat interval (a host silent for two is rebooting).
    let heartbeat: TimeInterval
    let probes: (any ProbeRegressionSource)?
    let desiredStateChanged: @Sendable ([String]) async throws -> Void
    let gate = AsyncGate()

    public init(
        store: any Store, clock: any FleetClock, heartbeat: TimeInterval, probes: (any ProbeRegressionSource)? = nil,
        logger: Logger = Logger(label: "marquee.upgrade"), desiredStateChanged: @escaping @Sendable ([String]) async throws -> Void
    ) {
        self.store = store
        self.clock = clock
        self.heartbeat = heartbeat
        self.probes = probes
        self.logger = logger
        self.desiredStateChanged = desiredStateChanged
    }

    // MARK: Plan and start

    /// What `plan` would do now: its sites in order, hosts to upgrade, windows and an estimate.
    public func dryRun(_ plan: UpgradePlan) async throws -> UpgradeDryRun {
        let upgrade = try await prepare(plan, actor: "dry run")
        let observations = try await store.upgradeObservations(siteIDs: Array(upgrade.sites.keys))
        let hostsPerSite = observations.mapValues { $0.hosts.filter { !plan.targets.isMet(by: $0) && $0.status != .offline }.count }
        let timeZones = observations.mapValues(\.timeZone)
        return UpgradeDryRun.estimate(upgrade, hostsPerSite: hostsPerSite, timeZones: timeZones, start: clock.now())
    }

    /// Starts `plan`; a plan with the same name may only start again once it finished.
    @discardableResult
    public func start(_ plan: UpgradePlan, actor: String) async throws -> Upgrade {
        try await gate.run {
            if let existing = try await store.upgrade(name: plan.name), existing.state.isActive {
                throw UpgradeError.alreadyRunning(plan.name, existing.state)
            }
            var upgrade = try await prepare(plan, actor: actor)
            // Hosts to upgrade per site, known from the start so progress reads "7 of 2,250 hosts".
            for (siteID, observation) in try await store.upgradeObservations(siteIDs: Array(upgrade.sites.keys)) {
                upgrade.sites[siteID]?.hosts = observation.hosts.filter { !plan.targets.isMet(by: $0) }.map(\.id).sorted()
            }
            let event = Event(
                time: clock.now(), kind: "upgrade.started", severity: .notice, subject: "upgrade/\(plan.name)",
                message:
                    "\(actor) started \(plan.name): \(plan.targets) on \(upgrade.sites.count) sites (\(upgrade.hasCanary ? "canary + " : "")\(upgrade.waves.count - (upgrade.hasCanary ? 1 : 0)) wave(s))",
                actor: actor)
            try await store.saveUpgrade(upgrade, events: [event])
            return upgrade
        }
    }

    private func prepare(_ plan: UpgradePlan, actor: String) async throws -> Upgrade {
        let deployment = DeploymentSpec(
            application: plan.name, version: .follow, placement: plan.select, rollout: plan.rolloutPolicy, source: plan.source)
        let provider = Tenant(id: "upgrade", name: "site provider", kind: .siteProvider)
        let placement = try Placement.place(deployment, tenant: provider, sites: try await store.sites(), assignedSites: [], onlineSites: [])
        guard !placement.eligibleRows.isEmpty else { throw UpgradeError.noSites(plan.select) }
        let (canary, waves) = try RolloutPlanner.waves(for: placement, policy: plan.rolloutPolicy)
        let all = canary.isEmpty ? waves : [canary] + waves
        var sites: [String: SiteUpgrade] = [:]
        for (index, wave) in all.enumerated() {
            for siteID in wave { sites[siteID] = SiteUpgrade(siteID: siteID, wave: index) }
        }
        return Upgrade(plan: plan, waves: all, hasCanary: !canary.isEmpty, sites: sites, createdAt: clock.now(), actor: actor)
    }

    // MARK: Queries

    public func upgrades() async throws -> [Upgrade] { try await store.upgrades() }

    public func upgrade(name: String) async throws -> Upgrade {
        guard let upgrade = try await store.upgrade(name: name) else { throw UpgradeError.unknown(name) }
        return upgrade
    }

    // MARK: Tick

    /// Advances every working plan to the clock's now; returns how many changed.
    @discardableResult
    public func tick() async throws -> Int {
        try await gate.run { try await tickLocked() }
    }

    private func tickLocked() async throws -> Int {
        let now = clock.now()
        var changed = 0
        for original in try await store.workingUpgrades() {
            var upgrade = original
            let wave = upgrade.currentWave ?? upgrade.waves.count
            let relevant = upgrade.sites.values.filter { !$0.phase.isFinished && ($0.wave <= wave || $0.host != nil) }.map(\.siteID)
            var observations = try await store.upgradeObservations(siteIDs: relevant.sorted())
            try await judge(upgrade, now: now, into: &observations)
            let actions = UpgradeEngine.advance(&upgrade, observations: observations, now: now, heartbeat: heartbeat)
            guard upgrade != original else { continue }
            try await carryOut(actions, upgrade: upgrade, now: now)
            changed += 1
        }
        return changed
    }

    /// Probe regressions for sites at a gate, and drain problems for sites draining.
    private func judge(_ upgrade: Upgrade, now: Date, into observations: inout [String: UpgradeSiteObservation]) async throws {
        let draining = upgrade.sites.values.filter { $0.step == .drain }
        if let oldest = draining.compactMap(\.stepSince).min() {
            for (siteID, problem) in try await store.drainProblems(since: oldest) where observations[siteID] != nil {
                observations[siteID]?.drainProblem = problem
            }
        }
        guard let probes else { return }
        // Sites at a gate, and sites whose upgraded hosts serve while the next host moves.
        let gated = upgrade.sites.values.filter { $0.step == .gate || ($0.host != nil && !$0.doneHosts.isEmpty) }
        guard !gated.isEmpty else { return }
        var apps: [String: Set<String>] = [:]
        for site in gated {
            for container in (observations[site.siteID]?.containers.values).map({ Array($0.joined()) }) ?? [] {
                apps[container.app, default: []].insert(site.siteID)
            }
        }
        for (app, sites) in apps.sorted(by: { $0.key < $1.key }) {
            do {
                for (siteID, reason) in try await probes.probeRegressions(app: app, sites: sites, window: DeploymentService.probeRegressionWindow)
                where observations[siteID]?.probeRegression == nil {
                    observations[siteID]?.probeRegression = "\(app): \(reason)"
                }
            } catch {
                // Probes are advisory: a failed judgement must not stop the gate's own checks.
                logger.error("Could not judge probes", metadata: ["upgrade": "\(upgrade.id)", "app": "\(app)", "error": "\(error)"])
            }
        }
    }

    private func carryOut(_ actions: [UpgradeAction], upgrade: Upgrade, now: Date) async throws {
        var events: [Event] = []
        var hosts: [String] = []
        let subject = "upgrade/\(upgrade.id)"
        for action in actions {
            switch action {
            case .event(let kind, let severity, let subject, let message):
                events.append(Event(time: now, kind: kind, severity: severity, subject: subject, message: message, actor: subject))
            case .cordon(let hostID):
                try await store.setHostUpgrade(
                    hostID: hostID, status: .cordoned, order: nil,
                    event: Event(
                        time: now, kind: "host.cordoned", severity: .notice, subject: "host/\(hostID)",
                        message: "\(upgrade.id) cordoned \(hostID): no new instances; its instances move to the other hosts", actor: subject))
                hosts.append(hostID)
            case .orderUpgrade(let hostID):
                let order = HostUpgradeOrder(plan: upgrade.id, targets: upgrade.plan.targets, orderedAt: now)
                try await store.setHostUpgrade(
                    hostID: hostID, status: .upgrading, order: order,
                    event: Event(
                        time: now, kind: "host.upgrading", severity: .notice, subject: "host/\(hostID)",
                        message: "\(upgrade.id) asked \(hostID) to install \(upgrade.plan.targets)", actor: subject))
                hosts.append(hostID)
            case .uncordon(let hostID):
                try await store.setHostUpgrade(
                    hostID: hostID, status: .online, order: nil,
                    event: Event(
                        time: now, kind: "host.uncordoned", severity: .notice, subject: "host/\(hostID)",
                        message: "\(upgrade.id) uncordoned \(hostID): it takes instances again", actor: subject))
                hosts.append(hostID)
            }
        }
        try await store.saveUpgrade(upgrade, events: events)
        if !hosts.isEmpty { try await desiredStateChanged(hosts.sorted()) }
    }

    // MARK: Operator commands

    /// What an operator can do to a running plan.
    public enum Command: String, Codable, Sendable, CaseIterable {
        case pause, resume, abort

        var pastTense: String {
            switch self {
            case .pause: "paused"
            case .resume: "resumed"
            case .abort: "aborted"
            }
        }
    }

    /// Pauses (hosts in flight finish, no new host starts), resumes, or aborts (the host in flight
    /// finishes safely, then the plan ends) `name`.
    public func command(_ command: Command, name: String, actor: String) async throws -> Upgrade {
        try await gate.run {
            guard var upgrade = try await store.upgrade(name: name) else { throw UpgradeError.unknown(name) }
            let now = clock.now()
            switch (command, upgrade.state) {
            case (.pause, .running): upgrade.state = .paused
            case (.resume, .paused): upgrade.state = .running
            case (.abort, .running), (.abort, .paused), (.abort, .halted): upgrade.state = .aborted
            default: throw UpgradeError.cannot(command.rawValue, name, upgrade.state)
            }
            upgrade.reason = command == .resume ? nil : "\(command.pastTense) by \(actor)"
            upgrade.updatedAt = now
            let inFlight = upgrade.sites.values.compactMap(\.host).sorted()
            let event = Event(
                time: now, kind: "upgrade.\(command.rawValue)", severity: command == .abort ? .warning : .notice, subject: "upgrade/\(name)",
                message:
                    "\(actor) \(command.pastTense) \(name)\(inFlight.isEmpty || command == .resume ? "" : "; finishing the host(s) in flight: \(inFlight.joined(separator: ", "))")",
                actor: actor)
            try await store.saveUpgrade(upgrade, events: [event])
            return upgrade
        }
    }
}

/// Why an upgrade request cannot be carried out.
public enum UpgradeError: Error, Sendable, Equatable, CustomStringConvertible, InputError {
    case unknown(String)
    case alreadyRunning(String, Upgrade.State)
    case noSites(String)
    case cannot(String, String, Upgrade.State)

    public var description: String {
        switch self {
        case .unknown(let name): "no upgrade plan \(name); `marquee upgrade status` lists them"
        case .alreadyRunning(let name, let state): "upgrade plan \(name) is \(state.rawValue); abort it or choose another name"
        case .noSites(let selector): "no site matches `\(selector)`"
        case .cannot(let command, let name, let state): "cannot \(command) upgrade plan \(name): it is \(state.rawValue)"
        }
    }
}
