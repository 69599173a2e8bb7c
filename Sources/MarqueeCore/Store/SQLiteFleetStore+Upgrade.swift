import Foundation
import GRDB

extension SQLiteFleetStore: UpgradeStore {
    public func upgrades() async throws -> [Upgrade] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT name, body FROM upgrade ORDER BY createdAt DESC, name").map { try decodeUpgrade($0) }
        }
    }

    public func upgrade(name: String) async throws -> Upgrade? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT name, body FROM upgrade WHERE name = ?", arguments: [name]).map { try decodeUpgrade($0) }
        }
    }

    public func workingUpgrades() async throws -> [Upgrade] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT name, body FROM upgrade WHERE state != 'completed' ORDER BY createdAt").map { try decodeUpgrade($0) }
                .filter { $0.state.isActive || $0.sites.values.contains { $0.host != nil } }
        }
    }

    public func saveUpgrade(_ upgrade: Upgrade, events: [Event]) async throws {
        let body = try Self.encode(upgrade)
        try await write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO upgrade (name, state, createdAt, updatedAt, body) VALUES (?, ?, ?, ?, ?)",
                arguments: [upgrade.id, upgrade.state.rawValue, upgrade.createdAt, upgrade.updatedAt, body])
            for var event in events { try event.insert(db) }
        }
        upgradeBodies.remember(upgrade, text: body, for: upgrade.id)
    }

    /// The plan in a `(name, body)` row, decoded only if its JSON changed since it was last seen.
    private func decodeUpgrade(_ row: Row) throws -> Upgrade {
        try upgradeBodies.value(for: row["name"], text: row["body"]) { try Self.decode(Upgrade.self, $0) }
    }

    public func setHostUpgrade(hostID: String, status: HostStatus, order: HostUpgradeOrder?, event: Event) async throws {
        let targets = try order.map { try Self.encode($0.targets) }
        try await write(reportingChange: { db in
            try db.execute(sql: "UPDATE host SET status = ? WHERE id = ?", arguments: [status.rawValue, hostID])
            try db.execute(sql: "DELETE FROM hostUpgradeOrder WHERE hostID = ?", arguments: [hostID])
            if let order, let targets {
                try db.execute(
                    sql: "INSERT INTO hostUpgradeOrder (hostID, plan, targets, orderedAt) VALUES (?, ?, ?, ?)",
                    arguments: [hostID, order.plan, targets, order.orderedAt])
            }
            var event = event
            try event.insert(db)
            return ((), true)
        })
    }

    public func upgradeOrder(hostID: String) async throws -> HostUpgradeOrder? {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM hostUpgradeOrder WHERE hostID = ?", arguments: [hostID]) else { return nil }
            return HostUpgradeOrder(plan: row["plan"], targets: try Self.decode(UpgradeTargets.self, row["targets"]), orderedAt: row["orderedAt"])
        }
    }

    public func upgradeObservations(siteIDs: [String]) async throws -> [String: UpgradeSiteObservation] {
        guard !siteIDs.isEmpty else { return [:] }
        return try await read { db in
            var observations: [String: UpgradeSiteObservation] = [:]
            // In chunks: SQLite limits the number of bound parameters.
            for start in stride(from: 0, to: siteIDs.count, by: 500) {
                let chunk = Array(siteIDs[start..<min(start + 500, siteIDs.count)])
                let marks = chunk.map { _ in "?" }.joined(separator: ",")
                let zones = try Row.fetchAll(
                    db, sql: "SELECT id, timeZone, status FROM site WHERE id IN (\(marks))", arguments: StatementArguments(chunk))
                for row in zones {
                    let id: String = row["id"]
                    observations[id] = UpgradeSiteObservation(
                        timeZone: TimeZone(identifier: row["timeZone"]) ?? .gmt, hosts: [], containers: [:],
                        lockedDown: row["status"] == SiteStatus.lockedDown.rawValue)
                }
                for host in try EdgeHost.filter(chunk.contains(EdgeHost.Columns.siteID)).order(EdgeHost.Columns.id).fetchAll(db) {
                    observations[host.siteID]?.hosts.append(host)
                }
                let containers = try ContainerInstance.fetchAll(
                    db, sql: "SELECT c.* FROM containerInstance c JOIN host h ON h.id = c.hostID WHERE h.siteID IN (\(marks)) ORDER BY c.id",
                    arguments: StatementArguments(chunk))
                let siteOf = Dictionary(uniqueKeysWithValues: observations.values.flatMap(\.hosts).map { ($0.id, $0.siteID) })
                for container in containers {
                    guard let siteID = siteOf[container.hostID] else { continue }
                    observations[siteID]?.containers[container.hostID, default: []].append(container)
                }
            }
            return observations
        }
    }

    public func drainProblems(since time: Date) async throws -> [String: String] {
        try await read { db in
            var problems: [String: String] = [:]
            let rows = try Row.fetchAll(
                db, sql: "SELECT subject, message FROM event WHERE kind = 'container.unschedulable' AND time >= ? ORDER BY time", arguments: [time])
            for row in rows {
                let subject: String = row["subject"]
                problems[String(subject.dropFirst("site/".count))] = row["message"]
            }
            return problems
        }
    }
}
