import Foundation

/// Infrastructure upgrades, the same through a local database or a tower.
public protocol UpgradeAPI: Sendable {
    /// What the plan in `file` would do now, without changing anything.
    func upgradeDryRun(_ file: SpecFile) async throws -> UpgradeDryRun
    /// Starts the plan in `file`.
    func startUpgrade(_ file: SpecFile, actor: String) async throws -> Upgrade
    /// Every plan, newest first.
    func upgrades() async throws -> [Upgrade]
    /// One plan with every site's progress.
    func upgrade(name: String) async throws -> Upgrade
    /// Pause, resume or abort.
    func upgradeCommand(_ command: UpgradeService.Command, name: String, actor: String) async throws -> Upgrade
}

extension UpgradeService: UpgradeAPI {
    public func upgradeDryRun(_ file: SpecFile) async throws -> UpgradeDryRun {
        try await dryRun(try UpgradePlanParser.plan(yaml: file.content, file: file.path))
    }

    public func startUpgrade(_ file: SpecFile, actor: String) async throws -> Upgrade {
        try await start(try UpgradePlanParser.plan(yaml: file.content, file: file.path), actor: actor)
    }

    public func upgradeCommand(_ command: UpgradeService.Command, name: String, actor: String) async throws -> Upgrade {
        try await self.command(command, name: name, actor: actor)
    }
}
