import Foundation

/// A spec file as sent to the tower: its path (for messages) and its YAML text.
public struct SpecFile: Codable, Sendable, Hashable {
    public var path: String
    public var content: String

    public init(path: String, content: String) {
        self.path = path
        self.content = content
    }

    /// Reads every spec file at `path` (a file, or a directory read recursively).
    public static func read(_ path: String) throws(SpecError) -> [SpecFile] {
        try SpecLoader.files(at: path).map { file throws(SpecError) in
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw SpecError([SpecDiagnostic(file: file, line: 1, column: 1, path: "", message: "cannot read the file as UTF-8 text")])
            }
            return SpecFile(path: file, content: text)
        }
    }

    /// Parses files into specs; throws every problem with its position.
    public static func parse(_ files: [SpecFile]) throws(SpecError) -> SpecSet {
        try SpecLoader.parse(files.map { ($0.path, $0.content) })
    }
}

/// A rollout without its per-site detail, for lists.
public struct RolloutSummary: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var application: String
    public var tenantID: String
    public var version: String
    public var state: Rollout.State
    public var paused: Bool
    public var reason: String?
    public var summary: String
    /// Settled sites / all sites, 0…1.
    public var progress: Double
    public var sites: Int
    public var phases: [String: Int]
    public var waves: Int
    public var currentWave: Int
    public var hasCanary: Bool
    public var createdAt: Date
    public var updatedAt: Date
    public var actor: String

    public init(_ rollout: Rollout) {
        id = rollout.id
        application = rollout.application
        tenantID = rollout.tenantID
        version = rollout.version
        state = rollout.state
        paused = rollout.paused
        reason = rollout.reason
        summary = rollout.summary
        progress = rollout.progress
        sites = rollout.sites.count
        phases = Dictionary(uniqueKeysWithValues: rollout.counts.map { ($0.key.rawValue, $0.value) })
        waves = rollout.waves.count
        currentWave = rollout.currentWave
        hasCanary = rollout.hasCanary
        createdAt = rollout.createdAt
        updatedAt = rollout.updatedAt
        actor = rollout.actor
    }
}

/// The deployment engine as front ends see it: local (a database in this process) or a tower.
public protocol DeploymentAPI: Sendable {
    /// Validates and applies spec files; idempotent.
    func apply(_ files: [SpecFile], actor: String, gitCommit: String?, prune: Bool) async throws -> ApplyReport
    /// Where and when the specs would land, without changing anything.
    func plan(_ files: [SpecFile]) async throws -> [DeploymentPlan]
    /// Every rollout, newest first.
    func rollouts() async throws -> [RolloutSummary]
    /// One rollout with every site's phase and reason.
    func rollout(id: String) async throws -> Rollout
    /// Pause, resume, abort or roll back.
    func rolloutCommand(_ command: RolloutEngine.Command, id: String, actor: String) async throws -> Rollout
    /// Each application: versions at sites and the latest rollout (only what runs at `siteID` when given).
    func applications(siteID: String?) async throws -> [ApplicationStatus]
}

/// ``DeploymentAPI`` on a store in this process.
public struct LocalDeploymentAPI: DeploymentAPI {
    let service: DeploymentService
    let store: any DeploymentStore & InventoryReading

    public init(service: DeploymentService, store: any DeploymentStore & InventoryReading) {
        self.service = service
        self.store = store
    }

    public func apply(_ files: [SpecFile], actor: String, gitCommit: String?, prune: Bool) async throws -> ApplyReport {
        try await service.apply(try SpecFile.parse(files), actor: actor, gitCommit: gitCommit, prune: prune)
    }

    public func plan(_ files: [SpecFile]) async throws -> [DeploymentPlan] {
        try await service.plan(try SpecFile.parse(files))
    }

    public func rollouts() async throws -> [RolloutSummary] {
        try await store.rollouts().map(RolloutSummary.init)
    }

    public func rollout(id: String) async throws -> Rollout {
        guard let rollout = try await store.rollout(id: id) else { throw DeploymentError.unknownRollout(id) }
        return rollout
    }

    public func rolloutCommand(_ command: RolloutEngine.Command, id: String, actor: String) async throws -> Rollout {
        try await service.command(command, rolloutID: id, actor: actor)
    }

    public func applications(siteID: String?) async throws -> [ApplicationStatus] {
        try await store.applicationStatuses(siteID: siteID)
    }
}
