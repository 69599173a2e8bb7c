/// Why an enrollment or heartbeat was refused.
public enum LifecycleError: Error, Equatable, CustomStringConvertible, InputError {
    /// The enrollment token is unknown or expired.
    case invalidEnrollmentToken
    /// The host credential is unknown or was revoked.
    case invalidCredential
    /// No such site.
    case unknownSite(String)
    /// A bad parameter, e.g. a negative TTL.
    case invalidParameter(name: String, reason: String)

    public var description: String {
        switch self {
        case .invalidEnrollmentToken: "the enrollment token is unknown or has expired; ask an operator for a new one"
        case .invalidCredential: "the host credential is not valid (revoked, or the host was removed); enroll again"
        case .unknownSite(let id): "no site '\(id)'"
        case .invalidParameter(let name, let reason): "invalid \(name): \(reason)"
        }
    }
}
