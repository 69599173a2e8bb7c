import Foundation

/// What an enrolled host receives from `POST /v1/agent/enroll`.
public struct AgentEnrollment: Codable, Sendable, Equatable {
    public var hostID: String
    public var siteID: String
    /// The host's own bearer secret; shown once, stored hashed at the tower.
    public var credential: String
    public var heartbeatSeconds: Int
    /// The tower's report cursor for this host: new batches must be numbered above it.
    public var acknowledgedSequence: Int64

    public init(hostID: String, siteID: String, credential: String, heartbeatSeconds: Int, acknowledgedSequence: Int64) {
        self.hostID = hostID
        self.siteID = siteID
        self.credential = credential
        self.heartbeatSeconds = heartbeatSeconds
        self.acknowledgedSequence = acknowledgedSequence
    }
}

/// What `POST /v1/agent/heartbeat` returns.
public struct HeartbeatReply: Codable, Sendable, Equatable {
    public var hostID: String
    public var status: HostStatus
    public var heartbeatSeconds: Int
    /// Every report batch up to this sequence is stored at the tower; the agent may drop them.
    public var acknowledgedSequence: Int64
    /// The host's desired-state revision: fetch `GET /v1/agent/desired` when it moves.
    public var desiredRevision: Int64

    public init(hostID: String, status: HostStatus, heartbeatSeconds: Int, acknowledgedSequence: Int64, desiredRevision: Int64 = 0) {
        self.hostID = hostID
        self.status = status
        self.heartbeatSeconds = heartbeatSeconds
        self.acknowledgedSequence = acknowledgedSequence
        self.desiredRevision = desiredRevision
    }
}

/// What `POST /v1/enroll-tokens` returns: the token, shown once.
public struct EnrollmentTokenReply: Codable, Sendable, Equatable {
    public var token: String
    public var site: String
    public var expiresAt: Date

    public init(token: String, site: String, expiresAt: Date) {
        self.token = token
        self.site = site
        self.expiresAt = expiresAt
    }
}
