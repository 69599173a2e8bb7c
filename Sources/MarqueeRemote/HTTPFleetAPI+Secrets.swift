import AsyncHTTPClient
import Foundation
import MarqueeCore
import NIOHTTP1

/// ``SecretsAPI`` against a tower: `marquee secrets … --tower URL`.
extension HTTPFleetAPI: SecretsAPI {
    private struct Empty: Encodable {}

    private func secretPath(_ path: String) -> String {
        "/v1/secrets/" + path.split(separator: "/", maxSplits: 1).map { Self.escape(String($0)) }.joined(separator: "/")
    }

    public func putSecret(path: String, value: Data, apps: [String]) async throws -> SecretInfo {
        let client = try TowerClient(baseURL: baseURL, client: self.client)
        let route = secretPath(path)
        let (status, data) = try await client.send(
            route, body: SecretValueBody(value: value.base64EncodedString(), apps: apps), bearer: token, method: .PUT)
        return try client.decode(SecretInfo.self, from: data, path: route, status: status)
    }

    public func secretValue(path: String) async throws -> Data {
        let body: SecretValueBody = try await get(secretPath(path))
        guard let value = Data(base64Encoded: body.value) else {
            throw RemoteError.unexpectedResponse(url: baseURL + secretPath(path), status: 200, detail: "the value is not base64")
        }
        return value
    }

    public func secrets(vault: String?) async throws -> [SecretInfo] {
        let list: List<SecretInfo> = try await get("/v1/secrets", query: [("vault", vault)])
        return list.items
    }

    public func removeSecret(path: String) async throws -> SecretInfo {
        let client = try TowerClient(baseURL: baseURL, client: self.client)
        let route = secretPath(path)
        let (status, data) = try await client.send(route, body: Empty(), bearer: token, method: .DELETE)
        return try client.decode(SecretInfo.self, from: data, path: route, status: status)
    }
}
