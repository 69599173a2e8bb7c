import Foundation
import MarqueeCore

/// Writes made by the CLI straight on a local database (no `--tower`) go into the same audit chain
/// the tower's middleware fills for API writes: actor `LOCAL_USER (platform-admin@PROVIDER)`,
/// action `local VERB`, only after the write succeeded.
struct LocalAudit: Sendable {
    let store: SQLiteFleetStore
    let actor: String

    func record(_ action: String, target: String, reason: String? = nil) async throws {
        try await store.appendAudit(AuditEntry(time: Date(), actor: actor, action: "local \(action)", target: target, reason: reason))
    }
}

/// ``DeploymentAPI`` on the local database, with its writes audited.
struct AuditedDeploymentAPI: DeploymentAPI {
    let base: any DeploymentAPI
    let audit: LocalAudit

    func apply(_ files: [SpecFile], actor: String, gitCommit: String?, prune: Bool) async throws -> ApplyReport {
        let report = try await base.apply(files, actor: actor, gitCommit: gitCommit, prune: prune)
        try await audit.record(
            prune ? "sync --prune" : "apply", target: files.map(\.path).joined(separator: ", "), reason: gitCommit.map { "git \($0)" })
        return report
    }

    func plan(_ files: [SpecFile]) async throws -> [DeploymentPlan] { try await base.plan(files) }
    func rollouts() async throws -> [RolloutSummary] { try await base.rollouts() }
    func rollout(id: String) async throws -> Rollout { try await base.rollout(id: id) }

    func rolloutCommand(_ command: RolloutEngine.Command, id: String, actor: String) async throws -> Rollout {
        let rollout = try await base.rolloutCommand(command, id: id, actor: actor)
        try await audit.record("rollout \(command.rawValue)", target: id)
        return rollout
    }

    func applications(siteID: String?) async throws -> [ApplicationStatus] { try await base.applications(siteID: siteID) }
}

/// ``UpgradeAPI`` on the local database, with its writes audited.
struct AuditedUpgradeAPI: UpgradeAPI {
    let base: any UpgradeAPI
    let audit: LocalAudit

    func upgradeDryRun(_ file: SpecFile) async throws -> UpgradeDryRun { try await base.upgradeDryRun(file) }

    func startUpgrade(_ file: SpecFile, actor: String) async throws -> Upgrade {
        let upgrade = try await base.startUpgrade(file, actor: actor)
        try await audit.record("upgrade start", target: upgrade.id, reason: file.path)
        return upgrade
    }

    func upgrades() async throws -> [Upgrade] { try await base.upgrades() }
    func upgrade(name: String) async throws -> Upgrade { try await base.upgrade(name: name) }

    func upgradeCommand(_ command: UpgradeService.Command, name: String, actor: String) async throws -> Upgrade {
        let upgrade = try await base.upgradeCommand(command, name: name, actor: actor)
        try await audit.record("upgrade \(command.rawValue)", target: name)
        return upgrade
    }
}

/// ``FleetActions`` on the local database, with every action audited.
struct AuditedFleetActions: FleetActions {
    let base: any FleetActions
    let audit: LocalAudit

    func approveHost(id: String, actor: String) async throws -> EdgeHost {
        let host = try await base.approveHost(id: id, actor: actor)
        try await audit.record("hosts approve", target: id)
        return host
    }

    func rejectHost(id: String, actor: String) async throws -> EdgeHost {
        let host = try await base.rejectHost(id: id, actor: actor)
        try await audit.record("hosts reject", target: id)
        return host
    }

    func preRegister(serialNumber: String, siteID: String, actor: String) async throws -> PreRegistration {
        let registration = try await base.preRegister(serialNumber: serialNumber, siteID: siteID, actor: actor)
        try await audit.record("hosts preregister", target: siteID, reason: "serial \(serialNumber)")
        return registration
    }
}
