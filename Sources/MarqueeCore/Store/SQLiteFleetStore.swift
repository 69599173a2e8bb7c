import Foundation
import GRDB

/// The inventory and event log in SQLite, through GRDB. The only type that knows SQL.
public struct SQLiteFleetStore: InventoryReading, InventoryWriting, EventLog {
    private let database: FleetDatabase
    /// Decoded upgrade plans, reused while their stored JSON is unchanged.
    let upgradeBodies = DecodedBodyCache<Upgrade>()

    public init(_ database: FleetDatabase) {
        self.database = database
    }

    var writer: any DatabaseWriter { database.writer }
    /// Heartbeat times not yet in `host.lastSeen` (see ``LastSeenBuffer``).
    var lastSeenBuffer: LastSeenBuffer { database.lastSeen }

    func read<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(body)
        } catch {
            throw FleetDatabase.map(error, path: database.path)
        }
    }

    /// Runs `body` in one write transaction that also bumps the fleet revision.
    func write<T: Sendable>(_ body: @Sendable @escaping (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write { db in
                let result = try body(db)
                try db.execute(sql: "UPDATE fleetRevision SET value = value + 1 WHERE id = 1")
                return result
            }
        } catch {
            throw FleetDatabase.map(error, path: database.path)
        }
    }

    /// Runs `body` in one write transaction that bumps the fleet revision only if `body` says
    /// readers can see a change (a routine heartbeat does not make every console reload).
    func write<T: Sendable>(reportingChange body: @Sendable @escaping (Database) throws -> (T, changed: Bool)) async throws -> T {
        do {
            return try await writer.write { db in
                let (result, changed) = try body(db)
                if changed { try db.execute(sql: "UPDATE fleetRevision SET value = value + 1 WHERE id = 1") }
                return result
            }
        } catch {
            throw FleetDatabase.map(error, path: database.path)
        }
    }

    public func tenants() async throws -> [Tenant] {
        try await read { db in try Tenant.order(Column("id")).fetchAll(db) }
    }

    public func sites() async throws -> [Site] {
        try await read { db in try Site.order(Site.Columns.id).fetchAll(db) }
    }

    public func site(id: String) async throws -> Site? {
        try await read { db in try Site.fetchOne(db, key: id) }
    }

    public func revision() async throws -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT value FROM fleetRevision WHERE id = 1") ?? 0 }
    }

    public func siteCount() async throws -> Int {
        try await read { db in try Site.fetchCount(db) }
    }

    public func hosts(siteID: String?, status: HostStatus?) async throws -> [EdgeHost] {
        try await read { db in
            var request = EdgeHost.order(EdgeHost.Columns.id)
            if let siteID { request = request.filter(EdgeHost.Columns.siteID == siteID) }
            if let status { request = request.filter(EdgeHost.Columns.status == status.rawValue) }
            return try request.fetchAll(db)
        }
    }

    public func host(id: String) async throws -> EdgeHost? {
        try await read { db in try EdgeHost.fetchOne(db, key: id) }
    }

    public func clusters(siteID: String) async throws -> [Cluster] {
        try await read { db in
            let rows = try ClusterRow.filter(ClusterRow.Columns.siteID == siteID).order(Column("id")).fetchAll(db)
            let hosts = try EdgeHost.filter(EdgeHost.Columns.siteID == siteID).order(EdgeHost.Columns.id).fetchAll(db)
            let byCluster = Dictionary(grouping: hosts, by: \.clusterID)
            return rows.map { Cluster(id: $0.id, siteID: $0.siteID, hosts: byCluster[$0.id] ?? []) }
        }
    }

    public func applications() async throws -> [Application] {
        try await read { db in try Application.order(Column("name"), Column("version")).fetchAll(db) }
    }

    public func containers(hostID: String) async throws -> [ContainerInstance] {
        try await read { db in
            try ContainerInstance.filter(ContainerInstance.Columns.hostID == hostID).order(Column("id")).fetchAll(db)
        }
    }

    public func replaceFleet(with snapshot: FleetSnapshot) async throws {
        let specs = try snapshot.applicationSpecs.map { ($0, try Self.encode($0)) }
        try await write { db in
            for table in [
                "logChunk", "logChunkRef", "logChunkPattern", "probeSeries", "rollout", "deploymentSpec", "applicationSpec", "siteAssignment",
                "event", "containerInstance",
                "application",
                "host", "cluster", "site", "tenant",
            ] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            try db.execute(sql: "INSERT INTO logChunkText (logChunkText) VALUES ('delete-all')")
            try db.execute(sql: "INSERT INTO logSegmentText (logSegmentText) VALUES ('delete-all')")
            try db.execute(sql: "INSERT INTO logSegmentSuffix (logSegmentSuffix) VALUES ('delete-all')")
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'event'")
            for tenant in snapshot.tenants { try tenant.insert(db) }
            for site in snapshot.sites { try site.insert(db) }
            for cluster in snapshot.clusters {
                try ClusterRow(id: cluster.id, siteID: cluster.siteID).insert(db)
                for host in cluster.hosts { try host.insert(db) }
            }
            for application in snapshot.applications { try application.insert(db) }
            for container in snapshot.containers { try container.insert(db) }
            for var event in snapshot.events { try event.insert(db) }
            for assignment in snapshot.siteAssignments {
                try db.execute(
                    sql: "INSERT INTO siteAssignment (tenantID, siteID) VALUES (?, ?)", arguments: [assignment.tenantID, assignment.siteID])
            }
            for (spec, body) in specs {
                try db.execute(
                    sql: "INSERT INTO applicationSpec (name, version, tenantID, spec, appliedAt, actor) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [spec.name, spec.version, spec.tenant, body, snapshot.events.last?.time ?? Date(), "marquee fleet generate"])
            }
        }
    }

    public func record(_ event: Event) async throws -> Event {
        try await write { db in
            var event = event
            try event.insert(db)
            return event
        }
    }

    public func events(_ query: EventQuery) async throws -> [Event] {
        try await read { db in
            var request = Event.order(Event.Columns.time.desc, Event.Columns.id.desc)
            if let since = query.since { request = request.filter(Event.Columns.time >= since) }
            if let afterID = query.afterID { request = request.filter(Event.Columns.id > afterID) }
            if let minimum = query.minimumSeverity {
                let allowed = Event.Severity.allCases.filter { $0 >= minimum }.map(\.rawValue)
                request = request.filter(allowed.contains(Event.Columns.severity))
            }
            if let subject = query.subjectPrefix {
                request = request.filter(Event.Columns.subject.like(Self.likePattern(prefix: subject), escape: "\\"))
            }
            if let kind = query.kindPrefix {
                request = request.filter(Event.Columns.kind.like(Self.likePattern(prefix: kind), escape: "\\"))
            }
            return try request.limit(query.limit).fetchAll(db)
        }
    }

    private static func likePattern(prefix: String) -> String {
        var escaped = ""
        for character in prefix {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped + "%"
    }
}

extension SQLiteFleetStore: RevisionObserving {
    /// Observes `fleetRevision` with GRDB: a new value after each commit that bumped it.
    public func revisionUpdates() -> AsyncThrowingStream<Int64, any Error> {
        let observation = ValueObservation.tracking { db in
            try Int64.fetchOne(db, sql: "SELECT value FROM fleetRevision WHERE id = 1") ?? 0
        }.removeDuplicates()
        let writer = self.writer
        let (stream, continuation) = AsyncThrowingStream<Int64, any Error>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let task = Task {
            do {
                for try await revision in observation.values(in: writer) { continuation.yield(revision) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
