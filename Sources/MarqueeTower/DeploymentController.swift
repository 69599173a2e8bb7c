import Foundation
import Hummingbird
import MarqueeCore

/// The deployment engine under `/v1`: apply, plan, rollouts and their commands, applications.
struct DeploymentController {
    let api: any DeploymentAPI

    /// `POST /v1/apply` and `POST /v1/plan` bodies.
    struct SpecRequest: Decodable {
        var files: [SpecFile]
        var gitCommit: String?
        var prune: Bool?
        var actor: String?
    }

    static let specFields: [String: Set<String>] = ["": ["files", "gitCommit", "prune", "actor"], "files": ["path", "content"]]

    func addRoutes(to group: RouterGroup<TowerRequestContext>) {
        group.post("apply") { request, context in
            try await handle {
                let body: SpecRequest = try await StrictJSON.decode(request, context: context, allowed: Self.specFields)
                try Self.requireFiles(body.files)
                try Self.requireOwnSpecs(body.files, prune: body.prune ?? false, context: context)
                return Payload(
                    try await api.apply(body.files, actor: context.actor(claimed: body.actor), gitCommit: body.gitCommit, prune: body.prune ?? false))
            }
        }
        group.post("plan") { request, context in
            try await handle {
                let body: SpecRequest = try await StrictJSON.decode(request, context: context, allowed: Self.specFields)
                try Self.requireFiles(body.files)
                try Self.requireOwnSpecs(body.files, prune: false, context: context)
                return ListPayload(kind: "DeploymentPlanList", items: try await api.plan(body.files))
            }
        }
        group.get("rollouts") { _, context in
            try await handle {
                ListPayload(kind: "RolloutList", items: try await api.rollouts().filter { Self.owns($0.tenantID, context) })
            }
        }
        group.get("rollouts/{id}") { _, context in
            try await handle { Payload(try await ownRollout(try context.parameters.require("id"), context)) }
        }
        group.post("rollouts/{id}/{command}") { request, context in
            try await handle {
                let text = try context.parameters.require("command")
                guard let command = RolloutEngine.Command(rawValue: text) else {
                    throw APIError(
                        .badRequest, code: "parameter.invalid",
                        message: "command must be one of \(RolloutEngine.Command.allCases.map(\.rawValue).joined(separator: ", "))", field: "command")
                }
                let body: [String: String] = try await StrictJSON.decode(request, context: context, allowed: ["": ["actor"]], emptyAllowed: true)
                _ = try await ownRollout(try context.parameters.require("id"), context)
                return Payload(
                    try await api.rolloutCommand(command, id: try context.parameters.require("id"), actor: context.actor(claimed: body["actor"])))
            }
        }
        group.get("apps") { request, context in
            try await handle {
                ListPayload(
                    kind: "ApplicationList",
                    items: try await api.applications(siteID: request.uri.queryParameters.get("site")).filter { Self.owns($0.tenant, context) })
            }
        }
    }

    /// Whether the caller may see a tenant's apps and rollouts: site providers see every tenant's,
    /// application owners only their own.
    static func owns(_ tenantID: String, _ context: TowerRequestContext) -> Bool {
        guard let principal = context.principal, principal.tenantKind == .applicationOwner else { return true }
        return principal.tenantID == tenantID
    }

    /// A rollout the caller may see; another tenant's is "not found" to an application owner.
    private func ownRollout(_ id: String, _ context: TowerRequestContext) async throws -> Rollout {
        let rollout = try await api.rollout(id: id)
        guard Self.owns(rollout.tenantID, context) else { throw DeploymentError.unknownRollout(id) }
        return rollout
    }

    /// An application owner applies only its own tenant's applications, and deployments of them;
    /// it cannot prune (which would remove what it did not send, other tenants' apps included).
    static func requireOwnSpecs(_ files: [SpecFile], prune: Bool, context: TowerRequestContext) throws {
        guard let principal = context.principal, principal.tenantKind == .applicationOwner else { return }
        let specs = try SpecFile.parse(files)
        if prune {
            throw APIError(
                .forbidden, code: "auth.forbidden", message: "\(principal.actor) may not prune: it would remove other tenants' applications",
                field: "prune")
        }
        for application in specs.applications where application.tenant != principal.tenantID {
            throw APIError(
                .forbidden, code: "auth.forbidden",
                message:
                    "\(application.source): application \(application.name) belongs to tenant '\(application.tenant)'; \(principal.actor) may deploy only its own",
                field: "files")
        }
        let own = Set(specs.applications.map(\.name))
        for deployment in specs.deployments where !own.contains(deployment.application) {
            throw APIError(
                .forbidden, code: "auth.forbidden",
                message:
                    "\(deployment.source): deployment of \(deployment.application) must come with that application's spec from \(principal.actor)",
                field: "files")
        }
    }

    static func requireFiles(_ files: [SpecFile]) throws {
        guard !files.isEmpty else {
            throw APIError(.badRequest, code: "body.invalid", message: "files must hold at least one spec file", field: "files")
        }
    }

}
