/// Why a vault operation was refused or failed. Messages never contain a secret's value.
public enum VaultError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidPath(String)
    case notFound(String)
    /// The vault belongs to another tenant; nobody reads across tenants, platform admins included.
    case otherTenantsVault(vault: String, principal: String)
    case invalidValue(String)
    case noMasterKey(path: String)
    case badMasterKey(source: String)
    case masterKeyUnwritable(path: String)
    /// The data was wrapped with another master key than the one loaded.
    case wrongMasterKey(loaded: String, expected: String)
    /// Authentication failed: wrong key, or the sealed bytes were changed or moved.
    case cannotDecrypt(String)
    /// The tower was started without a master key.
    case sealed

    public var description: String {
        switch self {
        case .invalidPath(let path): "'\(path)' is not VAULT/NAME (letters, digits, '.', '_' and '-', each 1–64)"
        case .notFound(let path): "no secret '\(path)'"
        case .otherTenantsVault(let vault, let principal): "vault '\(vault)' belongs to another tenant than \(principal)'s"
        case .invalidValue(let reason): "value: \(reason)"
        case .noMasterKey(let path): "no master key: \(path) does not exist and MARQUEE_MASTER_KEY is not set"
        case .badMasterKey(let source): "\(source) does not hold a base64 256-bit master key"
        case .masterKeyUnwritable(let path): "cannot write the master key to \(path)"
        case .wrongMasterKey(let loaded, let expected):
            "the master key loaded (\(loaded)) is not the one the vault was sealed with (\(expected)); restore the right master.key"
        case .cannotDecrypt(let what): "cannot decrypt \(what): wrong key or altered data"
        case .sealed: "the vault is sealed: this tower has no master key"
        }
    }
}

extension VaultError: AccessDenial {
    public var deniesAccess: Bool {
        switch self {
        case .otherTenantsVault: true
        default: false
        }
    }
}
