import Foundation

/// What `apply` changed, one line per spec or rollout.
public struct ApplyReport: Codable, Sendable, Equatable {
    public struct Change: Codable, Sendable, Equatable {
        public enum Action: String, Codable, Sendable {
            case created, updated, unchanged, deleted, started, superseded
        }

        /// `application`, `deployment` or `rollout`.
        public var kind: String
        public var name: String
        public var action: Action
        public var detail: String

        public init(kind: String, name: String, action: Action, detail: String) {
            self.kind = kind
            self.name = name
            self.action = action
            self.detail = detail
        }
    }

    public var changes: [Change]
    public var gitCommit: String?

    public init(changes: [Change] = [], gitCommit: String? = nil) {
        self.changes = changes
        self.gitCommit = gitCommit
    }

    /// Whether anything changed.
    public var changed: Bool { changes.contains { $0.action != .unchanged } }
}

/// Where and when one deployment's version would land (the dry run of `plan`).
public struct DeploymentPlan: Codable, Sendable, Equatable {
    public var application: String
    public var version: String
    public var tenant: String
    public var placement: String
    /// Sites whose labels match.
    public var matching: Int
    /// Matching sites the tenant may use.
    public var eligible: Int
    /// Matching sites not assigned to the tenant.
    public var notAssigned: Int
    /// Eligible sites with no host online (pending until they return).
    public var offline: Int
    /// Eligible sites already running this version.
    public var alreadyRunning: Int
    public var canary: [String]
    public var waves: [Int]
    public var windows: [String]
    public var estimates: [WaveEstimate]
    /// Seconds from now until the last wave is estimated to end.
    public var estimatedDuration: TimeInterval
    /// What `apply` would do: `new rollout`, `no change`, ….
    public var action: String
    /// Problems placement found (capacity, missing labels), per site, at most 20.
    public var problems: [String]
}

/// The application versions at the sites, for the apps view.
public struct ApplicationStatus: Codable, Sendable, Equatable {
    public var name: String
    public var tenant: String
    /// The version the deployment targets (nil without a deployment).
    public var targetVersion: String?
    /// Sites per version.
    public var versions: [String: Int]
    public var sitesRunning: Int
    public var sitesPending: Int
    public var sitesFailed: Int
    public var containers: Int
    /// The latest rollout's id and one-line state.
    public var rollout: String?
    public var rolloutSummary: String?
    public var placement: String?
}
