import Foundation

/// One entry in the fleet's event and audit stream.
///
/// Everything an operator may want to know happened (a host went offline, a fleet was generated,
/// a lockdown was triggered) is an event, with the actor who caused it.
public struct Event: Codable, Sendable, Equatable, Hashable, Identifiable {
    /// How much attention an event needs.
    public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
        case info, notice, warning, critical

        var rank: Int {
            switch self {
            case .info: 0
            case .notice: 1
            case .warning: 2
            case .critical: 3
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// Assigned by the store; `nil` before the event is recorded.
    public var id: Int64?
    /// When it happened.
    public var time: Date
    /// Dotted kind, e.g. `host.offline`, `fleet.generated`.
    public var kind: String
    /// How much attention it needs.
    public var severity: Severity
    /// What it is about, as `type/id`, e.g. `host/se-sto-012-h1` or `site/se-sto-012`.
    public var subject: String
    /// Human-readable message.
    public var message: String
    /// Who caused it: a user, a token name, `system` or `agent/<host>`.
    public var actor: String

    public init(
        id: Int64? = nil, time: Date, kind: String, severity: Severity, subject: String, message: String, actor: String
    ) {
        self.id = id
        self.time = time
        self.kind = kind
        self.severity = severity
        self.subject = subject
        self.message = message
        self.actor = actor
    }
}
