import Foundation

/// One application version on its way to the matching sites: a persisted state machine
/// (planned → canary → waves → completed | halted | rolled-back | aborted).
public struct Rollout: Codable, Sendable, Equatable, Identifiable {
    public enum State: String, Codable, Sendable, CaseIterable {
        case planned, canary, waves, completed, halted
        case rolledBack = "rolled-back"
        case aborted

        /// Whether the rollout still starts or checks sites.
        public var isActive: Bool { self == .planned || self == .canary || self == .waves }
    }

    /// `APP-VERSION`, with `-N` added when the same version rolls out again.
    public var id: String
    public var application: String
    public var tenantID: String
    public var version: String
    public var policy: RolloutPolicy
    public var state: State
    /// Paused rollouts start no new sites (sites in progress are still checked).
    public var paused: Bool
    /// Why the rollout stopped (halt, abort, rollback), for operators.
    public var reason: String?
    /// Wave 0 is the canary when the policy has one.
    public var waves: [[String]]
    public var hasCanary: Bool
    /// The wave now running.
    public var currentWave: Int
    public var sites: [String: RolloutSite]
    public var createdAt: Date
    public var updatedAt: Date
    /// When the rollout reached a terminal state.
    public var finishedAt: Date?
    /// Who asked for it (and the git commit, for GitOps syncs).
    public var actor: String
    /// Containers one site runs when the version is fully up (replicas × containers).
    public var expectedContainersPerSite: Int

    public init(
        id: String, application: String, tenantID: String, version: String, policy: RolloutPolicy, waves: [[String]], hasCanary: Bool,
        previousVersions: [String: String], expectedContainersPerSite: Int, createdAt: Date, actor: String
    ) {
        self.expectedContainersPerSite = expectedContainersPerSite
        self.id = id
        self.application = application
        self.tenantID = tenantID
        self.version = version
        self.policy = policy
        self.state = .planned
        self.paused = false
        self.waves = waves
        self.hasCanary = hasCanary
        self.currentWave = 0
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.actor = actor
        var sites: [String: RolloutSite] = [:]
        for (wave, siteIDs) in waves.enumerated() {
            for siteID in siteIDs {
                sites[siteID] = RolloutSite(siteID: siteID, wave: wave, previousVersion: previousVersions[siteID])
            }
        }
        self.sites = sites
    }

    /// Sites in each phase.
    public var counts: [RolloutSite.Phase: Int] {
        sites.values.reduce(into: [:]) { $0[$1.phase, default: 0] += 1 }
    }

    /// Sites that failed (including those rolled back after failing).
    public var failedCount: Int { sites.values.filter(\.phase.isFailure).count }

    /// Sites finished (succeeded, failed or rolled back) out of all.
    public var progress: Double {
        sites.isEmpty ? 1 : Double(sites.values.filter(\.phase.isSettled).count) / Double(sites.count)
    }

    /// A one-line account for lists: `waves 3/9 · 412 done · 2 failed · 5 pending (offline)`.
    public var summary: String {
        let counts = counts
        var parts: [String] = []
        switch state {
        case .planned: parts.append("planned")
        case .canary: parts.append("canary")
        case .waves: parts.append("wave \(currentWave + (hasCanary ? 0 : 1))/\(waves.count - (hasCanary ? 1 : 0))")
        default: parts.append(state.rawValue)
        }
        if paused { parts.append("paused") }
        parts.append("\(counts[.succeeded, default: 0]) of \(sites.count) done")
        if let progressing = counts[.progressing], progressing > 0 { parts.append("\(progressing) in progress") }
        if failedCount > 0 { parts.append("\(failedCount) failed") }
        if let offline = counts[.offline], offline > 0 { parts.append("\(offline) pending (offline)") }
        if let waiting = counts[.waitingForWindow], waiting > 0 { parts.append("\(waiting) waiting for a window") }
        return parts.joined(separator: " · ")
    }
}

/// One site's part in a rollout.
public struct RolloutSite: Codable, Sendable, Equatable {
    public enum Phase: String, Codable, Sendable, CaseIterable {
        /// Its wave has not started.
        case queued
        /// Its wave started; the site's maintenance window is closed.
        case waitingForWindow = "waiting-for-window"
        /// No host of the site is online: pending, never failed.
        case offline
        /// The new version was sent; waiting for it to run healthy for `healthy-for`.
        case progressing
        case succeeded
        /// Failed and left on the new version (`auto-rollback: off`).
        case failed
        /// Failed and reverted to the previous version.
        case rolledBack = "rolled-back"
        /// Not started because the rollout was aborted or halted.
        case skipped
        /// Reverted by an operator's rollback of the whole rollout.
        case reverted

        public var isFailure: Bool { self == .failed || self == .rolledBack }
        public var isSettled: Bool { self == .succeeded || isFailure || self == .skipped || self == .reverted }
    }

    public var siteID: String
    public var wave: Int
    public var phase: Phase
    /// The version the site ran before (for rollback); nil when the app is new there.
    public var previousVersion: String?
    public var startedAt: Date?
    public var healthySince: Date?
    public var finishedAt: Date?
    /// Why it is in this phase: which host, container and error; never a bare "failed".
    public var reason: String?

    public init(siteID: String, wave: Int, previousVersion: String?) {
        self.siteID = siteID
        self.wave = wave
        self.phase = .queued
        self.previousVersion = previousVersion
    }
}
