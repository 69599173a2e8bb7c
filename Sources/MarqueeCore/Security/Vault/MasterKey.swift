import Crypto
import Foundation

/// The key that wraps every tenant's data key. It is never stored in the database: it lives in a
/// 0600 file beside it (`master.key`) or in `MARQUEE_MASTER_KEY` (base64), so a copy of the
/// database alone decrypts nothing.
public struct MasterKey: Sendable {
    let key: SymmetricKey
    /// A short fingerprint (not secret) stored with what it wraps, so a wrong key is named as such.
    public let id: String

    init(key: SymmetricKey) {
        self.key = key
        self.id = "mk_" + Secret.hex(SHA256.hash(data: key.withUnsafeBytes { Data($0) }).prefix(6))
    }

    /// The key's bytes (for writing it out; tests look for them in files).
    var material: Data { key.withUnsafeBytes { Data($0) } }

    /// A new random 256-bit master key.
    public static func generate() -> MasterKey { MasterKey(key: SymmetricKey(size: .bits256)) }

    /// `master.key` beside the database file.
    public static func path(besideDatabase database: String) -> String {
        let directory = (database as NSString).deletingLastPathComponent
        return (directory.isEmpty ? "." : directory) + "/master.key"
    }

    /// The key from `MARQUEE_MASTER_KEY`, else from `path`, creating the file (0600) when missing
    /// and `create` is set.
    public static func load(at path: String, environment: [String: String], create: Bool) throws(VaultError) -> MasterKey {
        if let text = environment["MARQUEE_MASTER_KEY"] { return try decode(text, source: "MARQUEE_MASTER_KEY") }
        if let data = FileManager.default.contents(atPath: path) {
            return try decode(String(decoding: data, as: UTF8.self), source: path)
        }
        guard create else { throw .noMasterKey(path: path) }
        let key = generate()
        try key.write(to: path)
        return key
    }

    /// Writes the key (base64) to a new 0600 file at `path`.
    public func write(to path: String) throws(VaultError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let text = material.base64EncodedString() + "\n"
        try? FileManager.default.removeItem(atPath: path)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw .masterKeyUnwritable(path: path)
        }
    }

    private static func decode(_ text: String, source: String) throws(VaultError) -> MasterKey {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw .badMasterKey(source: source)
        }
        return MasterKey(key: SymmetricKey(data: data))
    }
}
