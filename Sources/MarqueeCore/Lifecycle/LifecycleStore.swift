import Foundation

/// An enrollment token as stored: the secret itself is never kept.
public struct EnrollmentTokenRecord: Codable, Sendable, Equatable {
    public var tokenHash: String
    public var siteID: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(tokenHash: String, siteID: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.siteID = siteID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Storage for call-home: enrollment tokens, host credentials, heartbeats.
public protocol LifecycleStore: DesiredStateStore {
    func saveEnrollmentToken(_ token: EnrollmentTokenRecord) async throws
    func enrollmentToken(hash: String) async throws -> EnrollmentTokenRecord?
    /// Creates the host (or re-enrolls the host with the same serial at that site), stores its
    /// credential hash (none for a host waiting for approval) and records `event`, in one transaction.
    func enroll(_ facts: HostFacts, siteID: String, credentialHash: String?, status: HostStatus, at time: Date, event: Event) async throws
        -> EdgeHost
    func host(serialNumber: String) async throws -> EdgeHost?
    func savePreRegistration(_ registration: PreRegistration, event: Event) async throws
    func preRegistration(serialNumber: String) async throws -> PreRegistration?
    func approval(hostID: String) async throws -> HostApproval?
    /// Records `approval`, sets the host's status and records `event`, in one transaction; a
    /// rejected host loses its credential.
    func decide(_ approval: HostApproval, status: HostStatus, event: Event) async throws
    func host(credentialHash: String) async throws -> EdgeHost?
    /// Applies a group of heartbeats in one transaction: for each, finds the host by credential
    /// hash, applies `transition` (status, event), updates facts and `lastSeen`, ingests the batches
    /// exactly once (batches at or below the host's cursor are skipped) and reads the host's
    /// desired-state revision. Outcomes are in the order of `writes`.
    func heartbeats(_ writes: [HeartbeatWrite], at time: Date, transition: @escaping HeartbeatTransition) async throws -> [HeartbeatOutcome]
    /// Marks hosts whose last heartbeat is older than `cutoff` offline, with one event each; returns them.
    func markOffline(lastSeenBefore cutoff: Date, at time: Date) async throws -> [EdgeHost]
}
