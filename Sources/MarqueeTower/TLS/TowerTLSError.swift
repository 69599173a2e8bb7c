import Foundation

/// Why the tower's TLS material could not be created or loaded.
public enum TowerTLSError: Error, CustomStringConvertible, Equatable {
    /// A file could not be read or parsed as what it should hold.
    case unreadable(path: String, expected: String, detail: String)
    /// A file could not be written.
    case unwritable(path: String, detail: String)
    /// A subject name given for the certificate is neither a DNS name nor an IP address.
    case invalidName(String)
    /// The certificate and the key do not belong together.
    case keyMismatch(certificate: String, key: String)
    /// Plain HTTP was asked for on an address other than loopback.
    case plainHTTPOffLoopback(host: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let expected, let detail):
            "\(path): not a readable \(expected) (\(detail))"
        case .unwritable(let path, let detail):
            "\(path): cannot write (\(detail))"
        case .invalidName(let name):
            "'\(name)' is neither a DNS name nor an IP address: give names the agents will use to reach the tower"
        case .keyMismatch(let certificate, let key):
            "\(key) is not the private key of \(certificate)"
        case .plainHTTPOffLoopback(let host):
            "refusing plain HTTP on \(host): credentials and secrets would cross the network in clear text; "
                + "serve TLS with --tls-cert/--tls-key (marquee tower init-tls creates them) or listen on 127.0.0.1"
        }
    }
}
