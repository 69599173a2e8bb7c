import Foundation
import HTTPTypes
import Hummingbird
import MarqueeCore

/// The secrets vault under `/v1/secrets`: values in and out base64-encoded, never logged.
struct SecretsController<Store: SecretStore> {
    let vault: SecretVault<Store>

    func addRoutes(to group: RouterGroup<TowerRequestContext>) {
        group.get("secrets") { request, context in
            try await handle {
                ListPayload(
                    kind: "SecretList",
                    items: try await vault.list(vault: request.uri.queryParameters.get("vault"), by: try context.requirePrincipal()))
            }
        }
        group.put("secrets/{vault}/{name}") { request, context in
            try await handle {
                let body: SecretValueBody = try await StrictJSON.decode(request, context: context, allowed: ["": ["value", "apps"]])
                guard let value = Data(base64Encoded: body.value) else {
                    throw APIError(.badRequest, code: "parameter.invalid", message: "value must be base64", field: "value")
                }
                return Payload(
                    try await vault.put(path: try Self.path(context), value: value, apps: body.apps ?? [], by: try context.requirePrincipal()))
            }
        }
        group.get("secrets/{vault}/{name}") { _, context in
            try await handle {
                let value = try await vault.get(path: try Self.path(context), by: try context.requirePrincipal())
                return Payload(SecretValueBody(value: value.base64EncodedString(), apps: nil))
            }
        }
        group.delete("secrets/{vault}/{name}") { _, context in
            try await handle { Payload(try await vault.remove(path: try Self.path(context), by: try context.requirePrincipal())) }
        }
    }

    private static func path(_ context: TowerRequestContext) throws -> String {
        "\(try context.parameters.require("vault"))/\(try context.parameters.require("name"))"
    }

}
