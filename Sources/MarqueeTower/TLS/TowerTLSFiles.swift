import Foundation

/// Where `marquee tower init-tls` keeps the tower's TLS material.
///
/// - `ca.pem`: the private CA's certificate; agents and CLI clients pin it (`--tower-ca`).
/// - `ca-key.pem` (0600): the CA's private key; it signs the tower's certificate and nothing else.
///   Keep it off the tower once the certificate is issued if you can.
/// - `tower.pem` / `tower-key.pem` (0600): the tower's certificate and key (`--tls-cert`, `--tls-key`).
public struct TowerTLSFiles: Sendable, Equatable {
    public var directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The directory `tls` beside the database.
    public init(besideDatabase databasePath: String) {
        self.init(directory: URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("tls"))
    }

    public var caCertificate: URL { directory.appendingPathComponent("ca.pem") }
    public var caKey: URL { directory.appendingPathComponent("ca-key.pem") }
    public var certificate: URL { directory.appendingPathComponent("tower.pem") }
    public var key: URL { directory.appendingPathComponent("tower-key.pem") }
}
