import Foundation

/// A serial number registered before its host first calls home (the host is approved at once).
public struct PreRegistration: Codable, Sendable, Equatable {
    public var serialNumber: String
    public var siteID: String
    public var createdAt: Date
    public var actor: String

    public init(serialNumber: String, siteID: String, createdAt: Date, actor: String) {
        self.serialNumber = serialNumber
        self.siteID = siteID
        self.createdAt = createdAt
        self.actor = actor
    }
}

/// An operator's decision about a host that asked to join without a token.
public struct HostApproval: Codable, Sendable, Equatable {
    public enum Decision: String, Codable, Sendable {
        case approved, rejected
    }

    public var hostID: String
    public var decision: Decision
    public var decidedAt: Date
    public var actor: String

    public init(hostID: String, decision: Decision, decidedAt: Date, actor: String) {
        self.hostID = hostID
        self.decision = decision
        self.decidedAt = decidedAt
        self.actor = actor
    }
}

/// What an enrollment call achieved.
public enum EnrollmentOutcome: Sendable, Equatable {
    /// The host is approved and has its credential.
    case enrolled(AgentEnrollment)
    /// The host is known and waits for an operator (`marquee hosts approve ID`).
    case pending(hostID: String, siteID: String)
}

/// `POST /v1/agent/enroll`'s 202 body: the host waits for approval.
public struct PendingEnrollment: Codable, Sendable, Equatable {
    public var status: String
    public var hostID: String
    public var siteID: String
    public var message: String

    public init(hostID: String, siteID: String) {
        self.status = "pending"
        self.hostID = hostID
        self.siteID = siteID
        self.message = "waiting for an operator: marquee hosts approve \(hostID)"
    }
}
