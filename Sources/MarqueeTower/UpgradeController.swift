import Foundation
import Hummingbird
import MarqueeCore

/// Infrastructure upgrades under `/v1/upgrades`: dry run, start, status, pause / resume / abort.
struct UpgradeController {
    let api: any UpgradeAPI

    /// `POST /v1/upgrades` and `POST /v1/upgrades/plan` body: one plan file.
    struct PlanRequest: Decodable {
        var file: SpecFile
        var actor: String?
    }

    static let planFields: [String: Set<String>] = ["": ["file", "actor"], "file": ["path", "content"]]

    func addRoutes(to group: RouterGroup<TowerRequestContext>) {
        group.post("upgrades/plan") { request, context in
            try await handle {
                let body: PlanRequest = try await StrictJSON.decode(request, context: context, allowed: Self.planFields)
                return Payload(try await api.upgradeDryRun(body.file))
            }
        }
        group.post("upgrades") { request, context in
            try await handle {
                let body: PlanRequest = try await StrictJSON.decode(request, context: context, allowed: Self.planFields)
                return Payload(try await api.startUpgrade(body.file, actor: context.actor(claimed: body.actor)))
            }
        }
        group.get("upgrades") { _, _ in
            try await handle { ListPayload(kind: "UpgradeList", items: try await api.upgrades()) }
        }
        group.get("upgrades/{name}") { _, context in
            try await handle { Payload(try await api.upgrade(name: try context.parameters.require("name"))) }
        }
        group.post("upgrades/{name}/{command}") { request, context in
            try await handle {
                let text = try context.parameters.require("command")
                guard let command = UpgradeService.Command(rawValue: text) else {
                    throw APIError(
                        .badRequest, code: "parameter.invalid",
                        message: "command must be one of \(UpgradeService.Command.allCases.map(\.rawValue).joined(separator: ", "))", field: "command"
                    )
                }
                let body: [String: String] = try await StrictJSON.decode(request, context: context, allowed: ["": ["actor"]], emptyAllowed: true)
                return Payload(
                    try await api.upgradeCommand(command, name: try context.parameters.require("name"), actor: context.actor(claimed: body["actor"])))
            }
        }
    }

}
