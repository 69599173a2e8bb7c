import Foundation

/// The tower CA an agent pins, kept in its data directory so a restarted agent (or one started
/// later without `--tower-ca`) keeps trusting only that CA.
public enum PinnedTowerCA {
    /// The file name of the kept copy.
    public static let fileName = "tower-ca.pem"

    /// The CA file to pin: `given` (copied into `dataDirectory`, replacing an earlier copy), else
    /// the copy kept there, else nil (system roots).
    public static func resolve(given: String?, dataDirectory: String) throws -> String? {
        let kept = URL(fileURLWithPath: dataDirectory).appendingPathComponent(fileName)
        let manager = FileManager.default
        guard let given, !given.isEmpty else { return manager.fileExists(atPath: kept.path) ? kept.path : nil }
        let contents: Data
        do {
            contents = try Data(contentsOf: URL(fileURLWithPath: given))
        } catch {
            throw PinnedTowerCAError.unreadable(path: given, detail: error.localizedDescription)
        }
        guard String(decoding: contents, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            throw PinnedTowerCAError.unreadable(path: given, detail: "no PEM certificate in it")
        }
        try manager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if (try? Data(contentsOf: kept)) != contents { try contents.write(to: kept, options: .atomic) }
        return kept.path
    }
}

/// Why the tower CA given to an agent cannot be pinned.
public enum PinnedTowerCAError: Error, CustomStringConvertible {
    case unreadable(path: String, detail: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let detail): "\(path): not a CA certificate to pin (\(detail)); give the ca.pem that marquee tower init-tls wrote"
        }
    }
}
