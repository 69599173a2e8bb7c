import Foundation
import MarqueeCore

/// ``DeploymentAPI`` against a tower: `marquee apply|plan|rollout|apps --tower URL`.
extension HTTPFleetAPI: DeploymentAPI {
    private struct SpecRequest: Encodable {
        var files: [SpecFile]
        var gitCommit: String?
        var prune: Bool?
        var actor: String?
    }

    /// Applying a large spec set to a big fleet plans every rollout: allow a minute.
    private var deployer: TowerClient {
        get throws { try TowerClient(baseURL: baseURL, client: client, timeoutSeconds: 60) }
    }

    public func apply(_ files: [SpecFile], actor: String, gitCommit: String?, prune: Bool) async throws -> ApplyReport {
        let client = try deployer
        let (status, data) = try await client.send(
            "/v1/apply", body: SpecRequest(files: files, gitCommit: gitCommit, prune: prune, actor: actor), bearer: token)
        return try client.decode(ApplyReport.self, from: data, path: "/v1/apply", status: status)
    }

    public func plan(_ files: [SpecFile]) async throws -> [DeploymentPlan] {
        let client = try deployer
        let (status, data) = try await client.send("/v1/plan", body: SpecRequest(files: files), bearer: token)
        return try client.decode(List<DeploymentPlan>.self, from: data, path: "/v1/plan", status: status).items
    }

    public func rollouts() async throws -> [RolloutSummary] {
        let list: List<RolloutSummary> = try await get("/v1/rollouts")
        return list.items
    }

    public func rollout(id: String) async throws -> Rollout {
        try await get("/v1/rollouts/\(Self.escape(id))")
    }

    public func rolloutCommand(_ command: RolloutEngine.Command, id: String, actor: String) async throws -> Rollout {
        try await deployer.postAction("/v1/rollouts/\(Self.escape(id))/\(command.rawValue)", body: ["actor": actor], bearer: token)
    }

    public func applications(siteID: String?) async throws -> [ApplicationStatus] {
        let list: List<ApplicationStatus> = try await get("/v1/apps", query: [("site", siteID)])
        return list.items
    }
}
