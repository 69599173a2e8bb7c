import Foundation
import MarqueeCore
import Synchronization

/// Where an agent keeps the credential the tower gave it.
public protocol CredentialStore: Sendable {
    /// For messages: a directory, or `memory`.
    var location: String { get }
    func load() -> String?
    func save(_ enrollment: AgentEnrollment) throws
    func forget()
}

/// The credential in `credential` (mode 0600) and the host id in `host-id`, in the agent's data directory.
public struct FileCredentialStore: CredentialStore {
    public let directory: String
    public var location: String { directory }

    public init(directory: String) {
        self.directory = directory
    }

    public func load() -> String? {
        let value = try? String(contentsOfFile: "\(directory)/credential", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return value?.isEmpty == false ? value : nil
    }

    public func save(_ enrollment: AgentEnrollment) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(
            atPath: "\(directory)/credential", contents: Data((enrollment.credential + "\n").utf8), attributes: [.posixPermissions: 0o600])
        try (enrollment.hostID + "\n").write(toFile: "\(directory)/host-id", atomically: true, encoding: .utf8)
    }

    public func forget() {
        try? FileManager.default.removeItem(atPath: "\(directory)/credential")
    }
}

/// A credential held in memory (simulated agents).
public final class MemoryCredentialStore: CredentialStore {
    private let value = Mutex<String?>(nil)
    public var location: String { "memory" }

    public init() {}

    public func load() -> String? { value.withLock { $0 } }
    public func save(_ enrollment: AgentEnrollment) throws { value.withLock { $0 = enrollment.credential } }
    public func forget() { value.withLock { $0 = nil } }
}
