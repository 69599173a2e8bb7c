import NIOSSL

extension RemoteError {
    /// The tower at `url` could not be reached because of `error`, said so an operator can act.
    static func unreachable(url: String, error: any Error) -> RemoteError {
        if let tls = error as? NIOSSLError, case .handshakeFailed = tls {
            return .unreachable(
                url: url,
                detail: "the TLS handshake failed: the tower's certificate is not signed by the pinned CA (--tower-ca or MARQUEE_TOWER_CA) "
                    + "nor by a system root, or does not name this address (\(tls))")
        }
        return .unreachable(url: url, detail: "\(error)")
    }
}
