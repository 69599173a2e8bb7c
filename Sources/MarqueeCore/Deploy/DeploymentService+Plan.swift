import Foundation

extension DeploymentService {
    /// Where and when each deployment in `specs` (and each stored deployment following a new
    /// version in `specs`) would land, without writing anything.
    public func plan(_ specs: SpecSet) async throws -> [DeploymentPlan] {
        let context = try await validate(specs)
        let now = clock.now()
        var deployments = context.storedDeployments
        for deployment in specs.deployments { deployments[deployment.application] = deployment }
        let names = Set(specs.deployments.map(\.application)).union(
            specs.applications.map(\.name).filter { deployments[$0]?.version == .follow })
        let allApplications = Array(context.storedApplications.values) + specs.applications
        let sites = try await store.sites()
        let zones = Dictionary(uniqueKeysWithValues: sites.map { ($0.id, TimeZone(identifier: $0.timeZone) ?? .gmt) })
        let existingRollouts = try await store.rollouts()
        var plans: [DeploymentPlan] = []
        for name in names.sorted() {
            guard let deployment = deployments[name] else { continue }
            let target = Self.target(of: deployment, among: allApplications)
            guard let target else { continue }
            let placement = try await placement(for: deployment, application: target)
            let (canary, waves) = try RolloutPlanner.waves(for: placement, policy: deployment.rollout)
            let allWaves = canary.isEmpty ? waves : [canary] + waves
            let estimates = RolloutPlanner.schedule(
                waves: allWaves, hasCanary: !canary.isEmpty, policy: deployment.rollout, timeZones: zones, start: now)
            let running = try await store.runningVersions(application: name)
            let already = placement.eligible.filter { running[$0.id] == target.version }.count
            var problems: [String] = []
            let labelKeys = Set(
                target.services.flatMap {
                    $0.containers.flatMap { ($0.env.values + $0.args + $0.command).flatMap(SpecTemplate.labelReferences(in:)) }
                })
            for site in placement.eligible where problems.count < 20 {
                if let missing = labelKeys.sorted().first(where: { site.labels[$0] == nil }) {
                    problems.append("\(site.id): has no label `\(missing)` that the spec refers to")
                }
            }
            let action: String
            if let latest = existingRollouts.first(where: { $0.application == name }), latest.version == target.version,
                let stored = context.storedDeployments[name], Self.sameDeployment(stored, deployment)
            {
                action = "no change (rollout \(latest.id) is \(latest.state.rawValue))"
            } else {
                action = "new rollout of \(target.version)"
            }
            plans.append(
                DeploymentPlan(
                    application: name, version: target.version, tenant: target.tenant, placement: deployment.placement,
                    matching: placement.matchingRows.count, eligible: placement.eligibleRows.count, notAssigned: placement.notAssignedRows.count,
                    offline: placement.offline.count, alreadyRunning: already, canary: canary, waves: waves.map(\.count),
                    windows: deployment.rollout.windows.map(\.description), estimates: estimates,
                    estimatedDuration: (estimates.last?.end ?? now).timeIntervalSince(now), action: action, problems: problems))
        }
        return plans
    }
}
