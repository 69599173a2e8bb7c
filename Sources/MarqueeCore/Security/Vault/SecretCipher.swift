import Crypto
import Foundation

/// AES-GCM sealing for the vault: data keys wrapped by the master key, values sealed by their
/// tenant's data key, each bound (authenticated data) to what it belongs to.
enum SecretCipher {
    /// A tenant's data key sealed with the master key, bound to the tenant id.
    static func wrap(_ dataKey: SymmetricKey, tenantID: String, with master: MasterKey) throws(VaultError) -> Data {
        try seal(dataKey.withUnsafeBytes { Data($0) }, key: master.key, binding: "tenant-key/\(tenantID)")
    }

    static func unwrap(_ wrapped: Data, tenantID: String, with master: MasterKey) throws(VaultError) -> SymmetricKey {
        SymmetricKey(data: try open(wrapped, key: master.key, binding: "tenant-key/\(tenantID)"))
    }

    /// `value` sealed with the tenant's key, bound to tenant, vault and name (a sealed value moved
    /// to another row or tenant does not open).
    static func seal(_ value: Data, key: SymmetricKey, binding: String) throws(VaultError) -> Data {
        do {
            guard let combined = try AES.GCM.seal(value, using: key, authenticating: Data(binding.utf8)).combined else {
                throw VaultError.cannotDecrypt(binding)
            }
            return combined
        } catch {
            throw .cannotDecrypt(binding)
        }
    }

    static func open(_ sealed: Data, key: SymmetricKey, binding: String) throws(VaultError) -> Data {
        do {
            return try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(binding.utf8))
        } catch {
            throw .cannotDecrypt(binding)
        }
    }
}
