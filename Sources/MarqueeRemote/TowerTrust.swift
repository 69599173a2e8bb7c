import AsyncHTTPClient
import Foundation
import NIOSSL
import Synchronization

/// How a client trusts the tower: by pinning the tower's private CA (`marquee tower init-tls`
/// writes `ca.pem`), so only certificates that CA signed are accepted — not the system's roots.
public enum TowerTrust {
    /// One HTTPS client per pinned CA file ("" for the system's roots) for the life of the process (clients hold connection pools).
    private static let clients = Mutex<[String: HTTPClient]>([:])

    /// The HTTP client to reach the tower at `url`: for `http`, `.shared`; for `https`, a client that
    /// accepts only certificates signed by the CA in `caPath` (or, without one, the system's roots).
    ///
    /// HTTPS clients do not retry a failed connection until the request's deadline: a certificate
    /// that does not verify fails at once with ``RemoteError/untrustedTower(url:detail:)``.
    public static func client(for url: String, pinning caPath: String?) throws(RemoteError) -> HTTPClient {
        guard url.lowercased().hasPrefix("https:") else { return .shared }
        let path = caPath.flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0).standardizedFileURL.path }
        let key = path ?? ""
        if let client = clients.withLock({ $0[key] }) { return client }
        let configuration = try clientConfiguration(pinning: path)
        return clients.withLock { clients in
            if let client = clients[key] { return client }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            clients[key] = client
            return client
        }
    }

    /// An HTTPS client configuration trusting only the CA certificates in `caPath` (system roots
    /// without one).
    public static func clientConfiguration(pinning caPath: String?) throws(RemoteError) -> HTTPClient.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let caPath {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(caPath)
            } catch {
                throw RemoteError.invalidTrust(path: caPath, detail: "\(error)")
            }
            guard !certificates.isEmpty else { throw RemoteError.invalidTrust(path: caPath, detail: "no PEM certificate in it") }
            tls.trustRoots = .certificates(certificates)
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }

    /// A warning when `url` would send tokens in clear text beyond this machine, else nil.
    public static func plainTextWarning(for url: String) -> String? {
        guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host else { return nil }
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host.lowercased()) || host.hasPrefix("127.")
        return loopback
            ? nil
            : "warning: \(url) is plain HTTP: tokens, credentials and secrets cross the network unencrypted; use https:// with --tower-ca"
    }
}
