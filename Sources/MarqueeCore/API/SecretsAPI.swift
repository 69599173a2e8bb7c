import Foundation

/// The secrets vault, the same through a local database (with the master key file) or a tower.
public protocol SecretsAPI: Sendable {
    func putSecret(path: String, value: Data, apps: [String]) async throws -> SecretInfo
    func secretValue(path: String) async throws -> Data
    func secrets(vault: String?) async throws -> [SecretInfo]
    func removeSecret(path: String) async throws -> SecretInfo
}

/// ``SecretsAPI`` on a local database, acting as `principal`.
public struct LocalSecretsAPI<Store: SecretStore>: SecretsAPI {
    let vault: SecretVault<Store>
    let principal: Principal

    public init(vault: SecretVault<Store>, principal: Principal) {
        self.vault = vault
        self.principal = principal
    }

    public func putSecret(path: String, value: Data, apps: [String]) async throws -> SecretInfo {
        try await vault.put(path: path, value: value, apps: apps, by: principal)
    }
    public func secretValue(path: String) async throws -> Data { try await vault.get(path: path, by: principal) }
    public func secrets(vault name: String?) async throws -> [SecretInfo] { try await vault.list(vault: name, by: principal) }
    public func removeSecret(path: String) async throws -> SecretInfo { try await vault.remove(path: path, by: principal) }
}

/// `PUT /v1/secrets/{vault}/{name}` body and `GET` answer: values travel base64-encoded.
public struct SecretValueBody: Codable, Sendable {
    public var value: String
    public var apps: [String]?

    public init(value: String, apps: [String]?) {
        self.value = value
        self.apps = apps
    }
}
