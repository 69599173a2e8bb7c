import Foundation
import HummingbirdCore
import HummingbirdTLS
import NIOSSL
import SwiftASN1
import X509

/// The tower's TLS server settings, loaded from PEM files (`--tls-cert`, `--tls-key`).
public struct TowerTLS: Sendable {
    let configuration: TLSConfiguration
    /// The certificate's subject alternative names, for the startup line.
    public let names: [String]
    public let notValidAfter: Date

    /// Loads and checks the certificate chain and key: unreadable files, a key that is not the
    /// certificate's, or an expired certificate are refused here, not at the first handshake.
    public init(certificatePath: String, keyPath: String, now: Date = Date()) throws {
        let pem: String
        do {
            pem = try String(contentsOfFile: certificatePath, encoding: .utf8)
        } catch {
            throw TowerTLSError.unreadable(path: certificatePath, expected: "PEM certificate", detail: error.localizedDescription)
        }
        let leaf: Certificate
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            leaf = try Certificate(pemEncoded: pem)
            chain = try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))
        } catch {
            throw TowerTLSError.unreadable(path: certificatePath, expected: "PEM certificate", detail: "\(error)")
        }
        let keyPEM: String
        do {
            keyPEM = try String(contentsOfFile: keyPath, encoding: .utf8)
            key = try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)
        } catch {
            throw TowerTLSError.unreadable(path: keyPath, expected: "PEM private key", detail: "\(error)")
        }
        guard (try? Certificate.PrivateKey(pemEncoded: keyPEM).publicKey) == leaf.publicKey else {
            throw TowerTLSError.keyMismatch(certificate: certificatePath, key: keyPath)
        }
        guard leaf.notValidAfter > now else {
            throw TowerTLSError.unreadable(
                path: certificatePath, expected: "valid certificate", detail: "expired \(leaf.notValidAfter); re-issue it with marquee tower init-tls"
            )
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        self.configuration = configuration
        self.notValidAfter = leaf.notValidAfter
        self.names = (try? leaf.extensions.subjectAlternativeNames)??.map(Self.describe) ?? []
    }

    /// The server builder Hummingbird runs: HTTP/1.1 inside TLS.
    func serverBuilder() throws -> HTTPServerBuilder {
        try .tls(.http1(), tlsConfiguration: configuration)
    }

    private static func describe(_ name: GeneralName) -> String {
        switch name {
        case .dnsName(let dns): return dns
        case .ipAddress(let bytes):
            let octets = Array(bytes.bytes)
            if octets.count == 4 { return octets.map(String.init).joined(separator: ".") }
            return stride(from: 0, to: octets.count, by: 2).map { String(format: "%x", Int(octets[$0]) << 8 | Int(octets[$0 + 1])) }.joined(
                separator: ":")
        default: return "\(name)"
        }
    }
}
