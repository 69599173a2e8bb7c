import Foundation
import GRDB

extension SQLiteFleetStore: DeploymentStore {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(text.utf8))
    }

    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public func applicationSpecs() async throws -> [ApplicationSpec] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT spec FROM applicationSpec ORDER BY name, appliedAt").map {
                try Self.decode(ApplicationSpec.self, $0)
            }
        }
    }

    public func applicationSpec(name: String, version: String) async throws -> ApplicationSpec? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT spec FROM applicationSpec WHERE name = ? AND version = ?", arguments: [name, version])
                .map { try Self.decode(ApplicationSpec.self, $0) }
        }
    }

    public func deploymentSpecs() async throws -> [DeploymentSpec] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT spec FROM deploymentSpec ORDER BY application").map { try Self.decode(DeploymentSpec.self, $0) }
        }
    }

    public func saveSpecs(_ specs: SpecSet, rollouts: [Rollout], events: [Event], actor: String, gitCommit: String?, at time: Date) async throws {
        let bodies = try specs.applications.map { ($0, try Self.encode($0)) }
        let deployments = try specs.deployments.map { ($0, try Self.encode($0)) }
        let rolloutBodies = try rollouts.map { ($0, try Self.encode($0)) }
        try await write { db in
            for (application, body) in bodies {
                try db.execute(
                    sql: """
                        INSERT INTO applicationSpec (name, version, tenantID, spec, appliedAt, actor, gitCommit) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(name, version) DO UPDATE SET spec = excluded.spec, gitCommit = excluded.gitCommit
                        """, arguments: [application.name, application.version, application.tenant, body, time, actor, gitCommit])
                try db.execute(
                    sql: "INSERT OR IGNORE INTO application (name, version, tenantID) VALUES (?, ?, ?)",
                    arguments: [application.name, application.version, application.tenant])
            }
            for (deployment, body) in deployments {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO deploymentSpec (application, spec, appliedAt, actor, gitCommit) VALUES (?, ?, ?, ?, ?)",
                    arguments: [deployment.application, body, time, actor, gitCommit])
            }
            for (rollout, body) in rolloutBodies { try Self.upsert(rollout, body: body, db: db) }
            for var event in events { try event.insert(db) }
        }
    }

    public func deleteDeployments(_ applications: [String], events: [Event]) async throws {
        try await write { db in
            for application in applications {
                try db.execute(sql: "DELETE FROM deploymentSpec WHERE application = ?", arguments: [application])
            }
            for var event in events { try event.insert(db) }
        }
    }

    static func upsert(_ rollout: Rollout, body: String, db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO rollout (id, application, version, state, createdAt, updatedAt, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [rollout.id, rollout.application, rollout.version, rollout.state.rawValue, rollout.createdAt, rollout.updatedAt, body])
    }

    public func rollouts() async throws -> [Rollout] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT body FROM rollout ORDER BY createdAt DESC, id").map { try Self.decode(Rollout.self, $0) }
        }
    }

    public func rollout(id: String) async throws -> Rollout? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT body FROM rollout WHERE id = ?", arguments: [id]).map { try Self.decode(Rollout.self, $0) }
        }
    }

    public func workingRollouts() async throws -> [Rollout] {
        let active = Rollout.State.allCases.filter { $0.isActive || $0 == .completed || $0 == .halted }.map(\.rawValue)
        return try await read { db in
            try String.fetchAll(
                db, sql: "SELECT body FROM rollout WHERE state IN (\(active.map { _ in "?" }.joined(separator: ","))) ORDER BY createdAt",
                arguments: StatementArguments(active)
            )
            .map { try Self.decode(Rollout.self, $0) }
            .filter { $0.state.isActive || $0.sites.values.contains { $0.phase == .offline || $0.phase == .progressing } }
        }
    }

    public func saveRollout(_ rollout: Rollout, events: [Event]) async throws {
        let body = try Self.encode(rollout)
        try await write { db in
            try Self.upsert(rollout, body: body, db: db)
            for var event in events { try event.insert(db) }
        }
    }

    public func assignedSites(tenantID: String) async throws -> Set<String> {
        try await read { db in Set(try String.fetchAll(db, sql: "SELECT siteID FROM siteAssignment WHERE tenantID = ?", arguments: [tenantID])) }
    }

    public func onlineSites() async throws -> Set<String> {
        try await read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT siteID FROM host WHERE status IN ('online', 'degraded')"))
        }
    }

    public func observations(application: String, siteIDs: [String]) async throws -> [String: SiteObservation] {
        // Only the asked sites are read: the rescheduler asks for one site at a time, and a fleet of
        // 750 theaters holds thousands of an application's containers (decoding all of them for one
        // site was most of an upgrade tick).
        let sites = Array(Set(siteIDs)).sorted()
        guard !sites.isEmpty else { return [:] }
        return try await read { db in
            var result: [String: SiteObservation] = [:]
            // In chunks: SQLite limits the number of bound parameters.
            for start in stride(from: 0, to: sites.count, by: 500) {
                let chunk = Array(sites[start..<min(start + 500, sites.count)])
                let marks = databaseQuestionMarks(count: chunk.count)
                let arguments = StatementArguments(chunk)
                var zones: [String: String] = [:]
                var locked: Set<String> = []
                for row in try Row.fetchAll(db, sql: "SELECT id, timeZone, status FROM site WHERE id IN (\(marks))", arguments: arguments) {
                    zones[row["id"]] = row["timeZone"]
                    if row["status"] == SiteStatus.lockedDown.rawValue { locked.insert(row["id"]) }
                }
                var online: Set<String> = []
                var siteOfHost: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT id, siteID, status FROM host WHERE siteID IN (\(marks))", arguments: arguments) {
                    siteOfHost[row["id"]] = row["siteID"]
                    if let status = HostStatus(rawValue: row["status"]), status == .online || status == .degraded { online.insert(row["siteID"]) }
                }
                let containers = try ContainerInstance.fetchAll(
                    db,
                    sql: """
                        SELECT containerInstance.* FROM containerInstance JOIN host ON host.id = containerInstance.hostID
                        WHERE containerInstance.app = ? AND host.siteID IN (\(marks))
                        """, arguments: [application] + arguments)
                let bySite = Dictionary(grouping: containers) { siteOfHost[$0.hostID] ?? "" }
                for siteID in chunk {
                    guard let zone = zones[siteID] else { continue }
                    result[siteID] = SiteObservation(
                        siteID: siteID, timeZone: TimeZone(identifier: zone) ?? .gmt, online: online.contains(siteID),
                        containers: (bySite[siteID] ?? []).sorted { $0.id < $1.id }, lockedDown: locked.contains(siteID))
                }
            }
            return result
        }
    }

    public func runningVersions(application: String) async throws -> [String: String] {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT host.siteID AS siteID, containerInstance.version AS version, COUNT(*) AS n FROM containerInstance
                    JOIN host ON host.id = containerInstance.hostID WHERE containerInstance.app = ?
                    GROUP BY host.siteID, containerInstance.version ORDER BY n
                    """, arguments: [application])
            var versions: [String: String] = [:]
            for row in rows { versions[row["siteID"]] = row["version"] }  // ordered by count: the most common wins
            return versions
        }
    }

    public func schedulingCandidates(siteID: String, excludingApplication: String) async throws -> [SiteScheduler.Candidate] {
        try await read { db in
            let hosts = try EdgeHost.filter(EdgeHost.Columns.siteID == siteID)
                .filter([HostStatus.online.rawValue, HostStatus.degraded.rawValue].contains(EdgeHost.Columns.status)).order(EdgeHost.Columns.id)
                .fetchAll(db)
            var specs: [String: ApplicationSpec] = [:]
            var candidates: [SiteScheduler.Candidate] = []
            for host in hosts {
                var free = ResourceRequest(cpu: Double(host.cpuCores), memoryBytes: host.memoryBytes, storageBytes: host.diskBytes)
                let others = try ContainerInstance.filter(ContainerInstance.Columns.hostID == host.id).filter(Column("app") != excludingApplication)
                    .fetchAll(db)
                for container in others {
                    if let requested = try Self.requested(by: container, specs: &specs, db: db) { free = free - requested }
                }
                candidates.append(SiteScheduler.Candidate(host: host, free: free, instances: others.count))
            }
            return candidates
        }
    }

    public func displacedContainers(offlineBefore: Date) async throws -> [DisplacedContainer] {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.*, h.siteID AS displacedSiteID, h.status AS displacedHostStatus
                    FROM containerInstance c JOIN host h ON h.id = c.hostID
                    WHERE (h.status = 'cordoned' OR (h.status = 'offline' AND (h.lastSeen IS NULL OR h.lastSeen < ?)))
                      AND EXISTS (SELECT 1 FROM host other WHERE other.siteID = h.siteID AND other.status IN ('online', 'degraded'))
                    ORDER BY h.siteID, c.app, c.id
                    """, arguments: [offlineBefore])
            return try rows.map { row in
                DisplacedContainer(
                    siteID: row["displacedSiteID"], hostStatus: HostStatus(rawValue: row["displacedHostStatus"]) ?? .offline,
                    container: try ContainerInstance(row: row))
            }
        }
    }

    public func replaceContainers(siteID: String, application: String, with containers: [ContainerInstance]) async throws -> [String] {
        try await replaceContainers(siteID: siteID, application: application, with: containers, events: [])
    }

    public func replaceContainers(
        siteID: String, application: String, with containers: [ContainerInstance], events: [Event]
    ) async throws -> [String] {
        try await write { db in
            for var event in events { try event.insert(db) }
            let hostIDs = try String.fetchAll(db, sql: "SELECT id FROM host WHERE siteID = ?", arguments: [siteID])
            let touched = Set(
                try String.fetchAll(
                    db, sql: "SELECT DISTINCT hostID FROM containerInstance WHERE app = ? AND hostID IN (SELECT id FROM host WHERE siteID = ?)",
                    arguments: [application, siteID]))
            try db.execute(
                sql: "DELETE FROM containerInstance WHERE app = ? AND hostID IN (SELECT id FROM host WHERE siteID = ?)",
                arguments: [application, siteID])
            for container in containers { try container.insert(db) }
            let placed = Set(containers.map(\.hostID))
            return hostIDs.filter { touched.contains($0) || placed.contains($0) }
        }
    }

    public func applicationStatuses(siteID: String?) async throws -> [ApplicationStatus] {
        let deployments = try await deploymentSpecs()
        let specs = try await applicationSpecs()
        let rollouts = try await rollouts()
        return try await read { db in
            var sql = """
                SELECT c.app AS app, c.version AS version, c.state AS state, c.tenantID AS tenantID, h.siteID AS siteID
                FROM containerInstance c JOIN host h ON h.id = c.hostID
                """
            var arguments: StatementArguments = []
            if let siteID {
                sql += " WHERE h.siteID = ?"
                arguments = [siteID]
            }
            struct SiteState {
                var versions: [String: Int] = [:]
                var running = 0
                var failed = 0
                var total = 0
            }
            var byApp: [String: (tenant: String, sites: [String: SiteState], containers: Int)] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                let app: String = row["app"]
                let site: String = row["siteID"]
                let state: String = row["state"]
                var entry = byApp[app] ?? (row["tenantID"], [:], 0)
                var siteState = entry.sites[site] ?? SiteState()
                siteState.versions[row["version"], default: 0] += 1
                siteState.total += 1
                if state == ContainerInstance.State.running.rawValue { siteState.running += 1 }
                if state == ContainerInstance.State.failed.rawValue { siteState.failed += 1 }
                entry.sites[site] = siteState
                entry.containers += 1
                byApp[app] = entry
            }
            var names = Set(byApp.keys)
            if siteID == nil { names.formUnion(deployments.map(\.application)) }
            return names.sorted().map { name in
                let entry = byApp[name]
                let deployment = deployments.first { $0.application == name }
                let target: String? =
                    switch deployment?.version {
                    case .exact(let version): version
                    case .follow: specs.filter { $0.name == name }.max { SemanticVersion.less($0.version, $1.version) }?.version
                    case nil: nil
                    }
                var versions: [String: Int] = [:]
                var running = 0
                var failed = 0
                var pending = 0
                for state in entry?.sites.values ?? [:].values {
                    if let version = state.versions.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key { versions[version, default: 0] += 1 }
                    if state.failed > 0 {
                        failed += 1
                    } else if state.running == state.total {
                        running += 1
                    } else {
                        pending += 1
                    }
                }
                let rollout = rollouts.first { $0.application == name }
                return ApplicationStatus(
                    name: name, tenant: entry?.tenant ?? specs.first { $0.name == name }?.tenant ?? "", targetVersion: target, versions: versions,
                    sitesRunning: running, sitesPending: pending, sitesFailed: failed, containers: entry?.containers ?? 0, rollout: rollout?.id,
                    rolloutSummary: rollout?.summary, placement: deployment?.placement)
            }
        }
    }

    public func desiredContainers(hostID: String) async throws -> (containers: [ContainerInstance], specs: [String: ContainerSpec]) {
        try await read { db in
            var containers = try ContainerInstance.filter(ContainerInstance.Columns.hostID == hostID).order(Column("id")).fetchAll(db)
            let site = try Site.fetchOne(db, sql: "SELECT site.* FROM site JOIN host ON host.siteID = site.id WHERE host.id = ?", arguments: [hostID])
            let labels = site?.labels ?? [:]
            var applications: [String: ApplicationSpec] = [:]
            var specs: [String: ContainerSpec] = [:]
            for container in containers where !container.version.isEmpty {
                let key = "\(container.app)@\(container.version)"
                if applications[key] == nil,
                    let text = try String.fetchOne(
                        db, sql: "SELECT spec FROM applicationSpec WHERE name = ? AND version = ?", arguments: [container.app, container.version])
                {
                    applications[key] = try Self.decode(ApplicationSpec.self, text)
                }
                guard let application = applications[key], var spec = SiteScheduler.containerSpec(for: container, in: application) else { continue }
                // Per-site values; a label that went missing since placement stays as written.
                spec.env = spec.env.mapValues { (try? SpecTemplate.resolve($0, labels: labels)) ?? $0 }
                spec.args = spec.args.map { (try? SpecTemplate.resolve($0, labels: labels)) ?? $0 }
                spec.command = spec.command.map { (try? SpecTemplate.resolve($0, labels: labels)) ?? $0 }
                spec.network = application.network
                specs[container.id] = spec
            }
            if site?.status == .lockedDown {
                // Locked down: sensitive apps leave the desired state, so the agents stop them now.
                // What the latest applied spec of each app says, whatever version runs here.
                var sensitive: Set<String> = []
                for app in Set(containers.map(\.app)) {
                    let latest = try String.fetchOne(
                        db, sql: "SELECT spec FROM applicationSpec WHERE name = ? ORDER BY appliedAt DESC, rowid DESC LIMIT 1", arguments: [app])
                    if let latest, try Self.decode(ApplicationSpec.self, latest).sensitive { sensitive.insert(app) }
                }
                containers.removeAll { sensitive.contains($0.app) }
                specs = specs.filter { id, _ in containers.contains { $0.id == id } }
            }
            return (containers, specs)
        }
    }
}
