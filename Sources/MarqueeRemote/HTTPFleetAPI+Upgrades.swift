import Foundation
import MarqueeCore

/// ``UpgradeAPI`` against a tower: `marquee upgrade … --tower URL`.
extension HTTPFleetAPI: UpgradeAPI {
    private struct PlanRequest: Encodable {
        var file: SpecFile
        var actor: String?
    }

    /// Planning reads every matching site's hosts: allow a minute.
    private var planner: TowerClient {
        get throws { try TowerClient(baseURL: baseURL, client: client, timeoutSeconds: 60) }
    }

    public func upgradeDryRun(_ file: SpecFile) async throws -> UpgradeDryRun {
        let client = try planner
        let (status, data) = try await client.send("/v1/upgrades/plan", body: PlanRequest(file: file), bearer: token)
        return try client.decode(UpgradeDryRun.self, from: data, path: "/v1/upgrades/plan", status: status)
    }

    public func startUpgrade(_ file: SpecFile, actor: String) async throws -> Upgrade {
        let client = try planner
        let (status, data) = try await client.send("/v1/upgrades", body: PlanRequest(file: file, actor: actor), bearer: token)
        return try client.decode(Upgrade.self, from: data, path: "/v1/upgrades", status: status)
    }

    public func upgrades() async throws -> [Upgrade] {
        let list: List<Upgrade> = try await get("/v1/upgrades")
        return list.items
    }

    public func upgrade(name: String) async throws -> Upgrade {
        try await get("/v1/upgrades/\(Self.escape(name))")
    }

    public func upgradeCommand(_ command: UpgradeService.Command, name: String, actor: String) async throws -> Upgrade {
        try await planner.postAction("/v1/upgrades/\(Self.escape(name))/\(command.rawValue)", body: ["actor": actor], bearer: token)
    }
}
