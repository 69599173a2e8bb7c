import MarqueeCore

/// Why a call to a remote tower failed.
public enum RemoteError: Error, Equatable, CustomStringConvertible {
    /// The tower answered with an error (4xx/5xx) and its JSON body.
    case api(status: Int, body: APIErrorBody)
    /// The tower answered something that is not the expected JSON.
    case unexpectedResponse(url: String, status: Int, detail: String)
    /// No answer: connection refused, DNS, timeout.
    case unreachable(url: String, detail: String)
    /// The tower URL is malformed.
    case invalidURL(String)
    /// The host asked to join and waits for an operator's approval.
    case pendingApproval(hostID: String)
    /// The CA file to pin (`--tower-ca`) cannot be used.
    case invalidTrust(path: String, detail: String)

    public var description: String {
        switch self {
        case .api(_, let body): body.error.message
        case .unexpectedResponse(let url, let status, let detail): "unexpected answer from \(url) (HTTP \(status)): \(detail)"
        case .unreachable(let url, let detail): "cannot reach the tower at \(url): \(detail)"
        case .invalidURL(let url): "'\(url)' is not a tower URL (expected https://HOST:PORT, or http:// on loopback)"
        case .pendingApproval(let id): "host \(id) waits for an operator's approval (marquee hosts approve \(id))"
        case .invalidTrust(let path, let detail):
            "\(path): not a usable tower CA certificate (\(detail)); give the ca.pem that marquee tower init-tls wrote"
        }
    }

    /// Whether the caller's input caused it (4xx other than auth problems count as input errors).
    public var isInputError: Bool {
        switch self {
        case .api(let status, _): (400..<500).contains(status)
        case .invalidURL, .invalidTrust: true
        default: false
        }
    }
}

extension RemoteError: AccessDenial {
    /// The tower refused by role or tenant (403).
    public var deniesAccess: Bool {
        if case .api(let status, _) = self { return status == 403 }
        return false
    }
}
