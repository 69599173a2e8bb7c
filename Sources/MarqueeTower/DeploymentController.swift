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

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.post("apply") { request, context in
            try await handle {
                let body: SpecRequest = try await StrictJSON.decode(request, context: context, allowed: Self.specFields)
                try Self.requireFiles(body.files)
                return Payload(
                    try await api.apply(body.files, actor: body.actor ?? "api", gitCommit: body.gitCommit, prune: body.prune ?? false))
            }
        }
        group.post("plan") { request, context in
            try await handle {
                let body: SpecRequest = try await StrictJSON.decode(request, context: context, allowed: Self.specFields)
                try Self.requireFiles(body.files)
                return ListPayload(kind: "DeploymentPlanList", items: try await api.plan(body.files))
            }
        }
        group.get("rollouts") { _, _ in
            try await handle { ListPayload(kind: "RolloutList", items: try await api.rollouts()) }
        }
        group.get("rollouts/{id}") { _, context in
            try await handle { Payload(try await api.rollout(id: try context.parameters.require("id"))) }
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
                return Payload(try await api.rolloutCommand(command, id: try context.parameters.require("id"), actor: body["actor"] ?? "api"))
            }
        }
        group.get("apps") { request, _ in
            try await handle {
                ListPayload(kind: "ApplicationList", items: try await api.applications(siteID: request.uri.queryParameters.get("site")))
            }
        }
    }

    static func requireFiles(_ files: [SpecFile]) throws {
        guard !files.isEmpty else {
            throw APIError(.badRequest, code: "body.invalid", message: "files must hold at least one spec file", field: "files")
        }
    }

    private func handle<Output: ResponseGenerator>(_ body: () async throws -> Output) async throws -> Output {
        do {
            return try await body()
        } catch {
            throw APIError(error)
        }
    }
}
