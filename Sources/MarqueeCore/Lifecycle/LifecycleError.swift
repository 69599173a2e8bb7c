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
    /// An operator rejected this host.
    case enrollmentRejected(hostID: String)
    /// A host without a token claims a serial that is already enrolled.
    case serialAlreadyEnrolled(serial: String, hostID: String)
    /// No such host.
    case unknownHost(String)
    /// Approve/reject on a host that is not waiting for a decision.
    case notPending(hostID: String, status: HostStatus)
    /// The tower is too busy to apply this heartbeat in time; the agent should retry later.
    case busy(retryAfterSeconds: Int)
    /// The site is locked down: no host enrolls there until a platform admin unlocks it.
    case siteLockedDown(String)

    public var description: String {
        switch self {
        case .invalidEnrollmentToken: "the enrollment token is unknown or has expired; ask an operator for a new one"
        case .invalidCredential: "the host credential is not valid (revoked, or the host was removed); enroll again"
        case .unknownSite(let id): "no site '\(id)'"
        case .invalidParameter(let name, let reason): "invalid \(name): \(reason)"
        case .enrollmentRejected(let id): "an operator rejected host \(id); it cannot enroll without a new site token"
        case .serialAlreadyEnrolled(let serial, let id):
            "serial \(serial) is already enrolled as \(id); enroll again with a site token, or ask an operator"
        case .unknownHost(let id): "no host '\(id)'"
        case .notPending(let id, let status): "host \(id) is \(status.rawValue), not waiting for approval"
        case .siteLockedDown(let id): "site \(id) is locked down: no host enrolls there until a platform admin unlocks it"
        case .busy(let seconds):
            "the tower is too busy to take this heartbeat now; retry in \(seconds) s (nothing was lost: the batches stay in the outbox)"
        }
    }
}
