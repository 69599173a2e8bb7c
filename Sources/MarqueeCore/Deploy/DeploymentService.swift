import Foundation
import Logging
import Synchronization

/// The deployment engine's controller: applies specs, plans, advances rollouts and carries out
/// their actions against the store. Every operation runs one at a time (a tick never
/// interleaves with an operator's command on the same rollout).
public final class DeploymentService: Sendable {
    public typealias Store = DeploymentStore & InventoryReading
    let store: any Store
    let clock: any FleetClock
    let desiredStateChanged: @Sendable ([String]) async throws -> Void
    let logger: Logger
    /// How long a host may be offline before its containers are moved to the other hosts of its site.
    let rescheduleAfter: TimeInterval
    /// Judges probes for `on-probe-regression` rollouts (without it they roll back on failures only).
    let probes: (any ProbeRegressionSource)?
    let gate = AsyncGate()
    /// Site/application pairs already reported as unschedulable by ``reschedule()``.
    let unschedulableReported = Mutex<Set<String>>([])

    /// - Parameters:
    ///   - rescheduleAfter: how long a host may be offline before ``reschedule()`` moves its
    ///     containers (default 5 minutes; cordoned hosts are emptied at once).
    ///   - desiredStateChanged: called with the hosts whose desired state changed (the tower bumps
    ///     their revisions and wakes their long-polls).
    public init(
        store: any Store, clock: any FleetClock, logger: Logger = Logger(label: "marquee.deploy"), rescheduleAfter: TimeInterval = 300,
        probes: (any ProbeRegressionSource)? = nil, desiredStateChanged: @escaping @Sendable ([String]) async throws -> Void
    ) {
        self.probes = probes
        self.rescheduleAfter = rescheduleAfter
        self.store = store
        self.clock = clock
        self.logger = logger
        self.desiredStateChanged = desiredStateChanged
    }

    // MARK: Apply

    /// Validates `specs` against the fleet, stores them and starts the rollouts they call for, in
    /// one transaction. Applying the same specs again changes nothing.
    public func apply(_ specs: SpecSet, actor: String, gitCommit: String? = nil, prune: Bool = false) async throws -> ApplyReport {
        try await gate.run { try await self.applyLocked(specs, actor: actor, gitCommit: gitCommit, prune: prune) }
    }

    private func applyLocked(_ specs: SpecSet, actor: String, gitCommit: String?, prune: Bool) async throws -> ApplyReport {
        let now = clock.now()
        let context = try await validate(specs)
        var report = ApplyReport(gitCommit: gitCommit)
        var newApplications: [ApplicationSpec] = []
        for application in specs.applications {
            let key = "\(application.name)@\(application.version)"
            if context.storedApplications[key] != nil {
                report.changes.append(.init(kind: "application", name: key, action: .unchanged, detail: "already applied"))
            } else {
                newApplications.append(application)
                report.changes.append(
                    .init(
                        kind: "application", name: key, action: .created,
                        detail: "\(application.services.count) service(s), tenant \(application.tenant)"))
            }
        }
        var changedDeployments: [DeploymentSpec] = []
        for deployment in specs.deployments {
            let action: ApplyReport.Change.Action
            if let stored = context.storedDeployments[deployment.application] {
                action = Self.sameDeployment(stored, deployment) ? .unchanged : .updated
            } else {
                action = .created
            }
            if action != .unchanged { changedDeployments.append(deployment) }
            report.changes.append(
                .init(
                    kind: "deployment", name: deployment.application, action: action,
                    detail: "version \(deployment.version), placement \(deployment.placement)"))
        }
        // Rollouts: a changed deployment, or a new version of an application whose deployment follows "*".
        var deployments = context.storedDeployments
        for deployment in specs.deployments { deployments[deployment.application] = deployment }
        var touched = Set(changedDeployments.map(\.application))
        for application in newApplications where deployments[application.name]?.version == .follow { touched.insert(application.name) }
        let allApplications = Array(context.storedApplications.values) + newApplications
        var rollouts: [Rollout] = []
        var events: [Event] = []
        let existingRollouts = try await store.rollouts()
        for name in touched.sorted() {
            guard let deployment = deployments[name] else { continue }
            let target = Self.target(of: deployment, among: allApplications)
            guard let target else { continue }
            let previous = existingRollouts.filter { $0.application == name }
            if let latest = previous.first, latest.version == target.version, !changedDeployments.contains(where: { $0.application == name }) {
                continue
            }
            for var active in previous where active.state.isActive {
                active.state = .aborted
                active.reason = "superseded by a rollout of \(target.version)"
                active.finishedAt = now
                active.updatedAt = now
                rollouts.append(active)
                report.changes.append(.init(kind: "rollout", name: active.id, action: .superseded, detail: "replaced by \(target.version)"))
            }
            let rollout = try await makeRollout(
                target, deployment: deployment, existingIDs: Set(existingRollouts.map(\.id)), actor: actor, gitCommit: gitCommit, now: now)
            rollouts.append(rollout)
            events.append(
                Event(
                    time: now, kind: "rollout.created", severity: .notice, subject: "rollout/\(rollout.id)",
                    message:
                        "\(actor) applied \(name) \(target.version): \(rollout.sites.count) sites in \(rollout.waves.count) wave(s)\(gitCommit.map { " (commit \($0.prefix(12)))" } ?? "")",
                    actor: actor))
            report.changes.append(
                .init(
                    kind: "rollout", name: rollout.id, action: .started,
                    detail:
                        "\(rollout.sites.count) sites, \(rollout.hasCanary ? "\(rollout.waves[0].count) canary + " : "")\(rollout.waves.count - (rollout.hasCanary ? 1 : 0)) wave(s)"
                ))
        }
        var saved = SpecSet(applications: newApplications, deployments: changedDeployments)
        saved.applications.sort { ($0.name, $0.version) < ($1.name, $1.version) }
        if report.changed {
            try await store.saveSpecs(saved, rollouts: rollouts, events: events, actor: actor, gitCommit: gitCommit, at: now)
        }
        if prune {
            let keep = Set(specs.deployments.map(\.application))
            let gone = context.storedDeployments.keys.filter { !keep.contains($0) }.sorted()
            if !gone.isEmpty {
                try await pruneDeployments(gone, actor: actor, now: now)
                for name in gone {
                    report.changes.append(
                        .init(kind: "deployment", name: name, action: .deleted, detail: "not in the synced directory; its containers were removed"))
                }
            }
        }
        logger.info("applied specs", metadata: ["changes": "\(report.changes.filter { $0.action != .unchanged }.count)", "actor": "\(actor)"])
        return report
    }

    /// The application version a deployment runs: the newest for `"*"`, else the exact one.
    static func target(of deployment: DeploymentSpec, among applications: [ApplicationSpec]) -> ApplicationSpec? {
        let versions = applications.filter { $0.name == deployment.application }
        switch deployment.version {
        case .follow: return versions.max { SemanticVersion.less($0.version, $1.version) }
        case .exact(let version): return versions.first { $0.version == version }
        }
    }

    static func sameDeployment(_ a: DeploymentSpec, _ b: DeploymentSpec) -> Bool {
        var a = a
        a.source = b.source
        return a == b
    }

    struct Context {
        var tenants: [String: Tenant]
        var storedApplications: [String: ApplicationSpec]
        var storedDeployments: [String: DeploymentSpec]
    }

    /// Checks the specs against what the fleet knows: tenants, versions, immutability.
    func validate(_ specs: SpecSet) async throws -> Context {
        let tenants = Dictionary(uniqueKeysWithValues: try await store.tenants().map { ($0.id, $0) })
        let stored = try await store.applicationSpecs()
        let storedApplications = Dictionary(stored.map { ("\($0.name)@\($0.version)", $0) }, uniquingKeysWith: { $1 })
        let storedDeployments = Dictionary(uniqueKeysWithValues: try await store.deploymentSpecs().map { ($0.application, $0) })
        var diagnostics: [SpecDiagnostic] = []
        for application in specs.applications {
            if tenants[application.tenant] == nil {
                diagnostics.append(
                    SpecParser.diagnostic(
                        at: application.source, "tenant",
                        "unknown tenant `\(application.tenant)`; known: \(tenants.keys.sorted().joined(separator: ", "))"))
            }
            if let existing = storedApplications["\(application.name)@\(application.version)"] {
                var same = application
                same.source = existing.source
                if same != existing {
                    diagnostics.append(
                        SpecParser.diagnostic(
                            at: application.source, "version",
                            "\(application.name) \(application.version) was already applied with different content (from \(existing.source)); a version is immutable, give the change a new version"
                        ))
                }
            }
            if let owner = (stored + specs.applications).first(where: { $0.name == application.name && $0.tenant != application.tenant }) {
                diagnostics.append(
                    SpecParser.diagnostic(
                        at: application.source, "tenant",
                        "\(application.name) belongs to tenant \(owner.tenant); another tenant cannot ship a version of it"))
            }
        }
        for deployment in specs.deployments {
            let versions = (stored + specs.applications).filter { $0.name == deployment.application }.map(\.version)
            if versions.isEmpty {
                diagnostics.append(
                    SpecParser.diagnostic(
                        at: deployment.source, "application",
                        "no application spec named `\(deployment.application)`; apply its Application spec with it"))
            } else if case .exact(let version) = deployment.version, !versions.contains(version) {
                diagnostics.append(
                    SpecParser.diagnostic(
                        at: deployment.source, "version",
                        "\(deployment.application) has no version \(version); known: \(versions.sorted(by: SemanticVersion.less).joined(separator: ", "))"
                    ))
            }
        }
        guard diagnostics.isEmpty else { throw SpecError(diagnostics) }
        return Context(tenants: tenants, storedApplications: storedApplications, storedDeployments: storedDeployments)
    }

    private func makeRollout(
        _ application: ApplicationSpec, deployment: DeploymentSpec, existingIDs: Set<String>, actor: String, gitCommit: String?, now: Date
    ) async throws -> Rollout {
        let placement = try await placement(for: deployment, application: application)
        let (canary, waves) = try RolloutPlanner.waves(for: placement, policy: deployment.rollout)
        var id = "\(application.name)-\(application.version)"
        var suffix = 2
        while existingIDs.contains(id) {
            id = "\(application.name)-\(application.version)-\(suffix)"
            suffix += 1
        }
        let expected = application.services.reduce(0) { $0 + $1.replicas * $1.containers.count }
        let previous = try await store.runningVersions(application: application.name)
        return Rollout(
            id: id, application: application.name, tenantID: application.tenant, version: application.version, policy: deployment.rollout,
            waves: canary.isEmpty ? waves : [canary] + waves, hasCanary: !canary.isEmpty, previousVersions: previous,
            expectedContainersPerSite: expected, createdAt: now, actor: gitCommit.map { "\(actor) @ \($0.prefix(12))" } ?? actor)
    }

    func placement(for deployment: DeploymentSpec, application: ApplicationSpec) async throws -> Placement {
        let tenants = try await store.tenants()
        guard let tenant = tenants.first(where: { $0.id == application.tenant }) else {
            throw SpecError([SpecParser.diagnostic(at: application.source, "tenant", "unknown tenant `\(application.tenant)`")])
        }
        return try Placement.place(
            deployment, tenant: tenant, sites: try await store.sites(), assignedSites: try await store.assignedSites(tenantID: tenant.id),
            onlineSites: try await store.onlineSites())
    }

    private func pruneDeployments(_ applications: [String], actor: String, now: Date) async throws {
        var hosts: [String] = []
        let sites = try await store.sites()
        for application in applications {
            for site in sites {
                hosts += try await store.replaceContainers(siteID: site.id, application: application, with: [])
            }
        }
        let events = applications.map {
            Event(
                time: now, kind: "deployment.deleted", severity: .notice, subject: "app/\($0)",
                message: "\(actor) removed the deployment of \($0) (sync --prune)", actor: actor)
        }
        try await store.deleteDeployments(applications, events: events)
        if !hosts.isEmpty { try await desiredStateChanged(hosts) }
    }

    // MARK: Tick

    /// Advances every rollout that has work to the clock's now and carries out its actions.
    /// Returns how many rollouts changed.
    @discardableResult
    public func tick() async throws -> Int {
        try await gate.run { try await self.tickLocked() }
    }

    private func tickLocked() async throws -> Int {
        let now = clock.now()
        var changed = 0
        var sites: [String: Site]?
        for original in try await store.workingRollouts() {
            var rollout = original
            var observations = try await store.observations(application: rollout.application, siteIDs: Array(rollout.sites.keys))
            try await judgeProbes(of: rollout, into: &observations)
            let actions = RolloutEngine.advance(&rollout, observations: observations, now: now)
            if sites == nil, actions.contains(where: { if case .deploy = $0 { true } else { false } }) {
                sites = Dictionary(uniqueKeysWithValues: try await store.sites().map { ($0.id, $0) })
            }
            var unchanged = rollout
            unchanged.updatedAt = original.updatedAt
            // Nothing moved: no write, so consoles following the fleet revision do not reload.
            if actions.isEmpty, unchanged == original { continue }
            try await carryOut(actions, rollout: &rollout, sites: sites ?? [:], now: now)
            changed += 1
        }
        return changed
    }

    /// How far back probes are judged for `on-probe-regression`: short, so a regression shows within
    /// a site's healthy-for watch, long enough for ~30 samples per host.
    static let probeRegressionWindow: TimeInterval = 300

    /// Marks the progressing sites of an `on-probe-regression` rollout whose probes regressed.
    private func judgeProbes(of rollout: Rollout, into observations: inout [String: SiteObservation]) async throws {
        guard rollout.policy.autoRollback == .onProbeRegression, let probes else { return }
        let progressing = Set(rollout.sites.values.filter { $0.phase == .progressing }.map(\.siteID))
        guard !progressing.isEmpty else { return }
        do {
            let regressions = try await probes.probeRegressions(app: rollout.application, sites: progressing, window: Self.probeRegressionWindow)
            for (siteID, reason) in regressions { observations[siteID]?.probeRegression = reason }
        } catch {
            // Probes are advisory here: a failed judgement must not stop the rollout's own checks.
            logger.error("Could not judge probes", metadata: ["rollout": "\(rollout.id)", "error": "\(error)"])
        }
    }

    /// Runs actions, feeding failures back into the engine, then saves the rollout with its events.
    private func carryOut(_ actions: [RolloutAction], rollout: inout Rollout, sites: [String: Site], now: Date) async throws {
        var queue = actions[...]
        var events: [Event] = []
        var hosts: Set<String> = []
        var specs: [String: ApplicationSpec] = [:]
        while let action = queue.popFirst() {
            switch action {
            case .event(let kind, let severity, let subject, let message):
                events.append(Event(time: now, kind: kind, severity: severity, subject: subject, message: message, actor: "marquee deploy"))
            case .deploy(let siteID, let version):
                do {
                    var containers: [ContainerInstance] = []
                    if let version {
                        if specs[version] == nil { specs[version] = try await store.applicationSpec(name: rollout.application, version: version) }
                        guard let spec = specs[version] else {
                            throw SiteScheduler.Unschedulable(description: "\(rollout.application) \(version) has no stored spec")
                        }
                        if let site = sites[siteID] {
                            let keys = spec.services.flatMap {
                                $0.containers.flatMap { ($0.env.values + $0.args + $0.command).flatMap(SpecTemplate.labelReferences(in:)) }
                            }
                            if let missing = keys.first(where: { site.labels[$0] == nil }) {
                                throw SiteScheduler.Unschedulable(
                                    description: "the site has no label `\(missing)` that \(rollout.application) \(version) refers to")
                            }
                        }
                        let candidates = try await store.schedulingCandidates(siteID: siteID, excludingApplication: rollout.application)
                        containers = try SiteScheduler.place(spec, on: candidates, now: now)
                        try await checkQuota(spec, containers: containers, siteID: siteID)
                    }
                    hosts.formUnion(try await store.replaceContainers(siteID: siteID, application: rollout.application, with: containers))
                } catch let error as SiteScheduler.Unschedulable {
                    if version == rollout.version {
                        queue.append(contentsOf: RolloutEngine.fail(&rollout, siteID: siteID, reason: error.description, now: now))
                    } else {
                        events.append(
                            Event(
                                time: now, kind: "rollout.revert_failed", severity: .critical, subject: "site/\(siteID)",
                                message: "could not put \(rollout.application) \(version ?? "-") back at \(siteID): \(error.description)",
                                actor: "marquee deploy"))
                    }
                }
            }
        }
        try await store.saveRollout(rollout, events: events)
        if !hosts.isEmpty { try await desiredStateChanged(hosts.sorted()) }
    }

    /// Refuses a placement that would take the application's tenant past its quota at the site.
    private func checkQuota(_ spec: ApplicationSpec, containers: [ContainerInstance], siteID: String) async throws {
        guard let quota = try await store.quota(tenantID: spec.tenant, siteID: siteID) else { return }
        var needed = ResourceRequest()
        for container in containers {
            guard let resources = SiteScheduler.containerSpec(for: container, in: spec)?.resources else { continue }
            if (quota.cpu != nil && resources.cpu <= 0) || (quota.memoryBytes != nil && resources.memoryBytes <= 0) {
                throw SiteScheduler.Unschedulable(
                    description: "tenant \(spec.tenant) has a quota \(quota.scope) (\(quota.limits)): container \(container.id) must request "
                        + "the CPU and memory it limits")
            }
            needed = needed + resources
        }
        let others = try await store.tenantUsage(tenantID: spec.tenant, siteID: siteID, excludingApplication: spec.name)
        if let over = quota.violation(used: others + needed) {
            throw SiteScheduler.Unschedulable(
                description: "over tenant \(spec.tenant)'s quota \(quota.scope) (\(quota.limits)): \(spec.name) \(spec.version) needs "
                    + "\(SiteScheduler.format(needed)) beside \(SiteScheduler.format(others)) its other apps use there — \(over)")
        }
    }

    // MARK: Operator commands

    /// Pauses, resumes, aborts or rolls back a rollout.
    public func command(_ command: RolloutEngine.Command, rolloutID: String, actor: String) async throws -> Rollout {
        try await gate.run {
            guard var rollout = try await self.store.rollout(id: rolloutID) else { throw DeploymentError.unknownRollout(rolloutID) }
            let now = self.clock.now()
            let actions = try RolloutEngine.apply(command, to: &rollout, actor: actor, now: now)
            let sites = Dictionary(uniqueKeysWithValues: try await self.store.sites().map { ($0.id, $0) })
            try await self.carryOut(actions, rollout: &rollout, sites: sites, now: now)
            return rollout
        }
    }
}

/// Deployment requests that name something that does not exist.
public enum DeploymentError: Error, Sendable, Equatable, CustomStringConvertible, InputError {
    case unknownRollout(String)

    public var description: String {
        switch self {
        case .unknownRollout(let id): "no rollout \(id); `marquee rollout status` lists them"
        }
    }
}
