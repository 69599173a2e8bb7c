import Foundation
import GRDB

extension SQLiteFleetStore: LifecycleStore {
    public func saveEnrollmentToken(_ token: EnrollmentTokenRecord) async throws {
        try await write { db in try token.insert(db) }
    }

    public func enrollmentToken(hash: String) async throws -> EnrollmentTokenRecord? {
        try await read { db in try EnrollmentTokenRecord.fetchOne(db, key: hash) }
    }

    public func enroll(
        _ facts: HostFacts, siteID: String, credentialHash: String, status: HostStatus, at time: Date, event: Event
    ) async throws -> EdgeHost {
        try await write { db in
            let clusterID = "\(siteID)-c1"
            if try ClusterRow.fetchOne(db, key: clusterID) == nil {
                try ClusterRow(id: clusterID, siteID: siteID).insert(db)
            }
            let existing = try EdgeHost.filter(EdgeHost.Columns.serialNumber == facts.serialNumber).fetchOne(db)
            let id: String
            if let existing, existing.siteID == siteID {
                id = existing.id
            } else {
                if let existing { try existing.delete(db) }
                let ids = try String.fetchAll(db, EdgeHost.select(EdgeHost.Columns.id).filter(EdgeHost.Columns.siteID == siteID))
                let numbers = ids.compactMap { Int($0.split(separator: "-h").last ?? "") }
                id = "\(siteID)-h\((numbers.max() ?? 0) + 1)"
            }
            var host = EdgeHost(
                id: id, serialNumber: facts.serialNumber, hostname: facts.hostname, siteID: siteID, clusterID: clusterID, osName: "",
                osVersion: "", kernelRelease: "", runtimeName: "", runtimeVersion: "", agentVersion: "", cpuCores: 0, memoryBytes: 0,
                diskBytes: 0, status: status, lastSeen: time)
            host.apply(facts)
            try host.save(db)
            try HostCredentialRow(hostID: id, credentialHash: credentialHash).save(db)
            var event = event
            event.subject = "host/\(id)"
            try event.insert(db)
            return host
        }
    }

    public func host(credentialHash: String) async throws -> EdgeHost? {
        try await read { db in
            guard let row = try HostCredentialRow.filter(Column("credentialHash") == credentialHash).fetchOne(db) else { return nil }
            return try EdgeHost.fetchOne(db, key: row.hostID)
        }
    }

    public func heartbeat(hostID: String, facts: HostFacts?, status: HostStatus, at time: Date, event: Event?) async throws {
        try await write { db in
            guard var host = try EdgeHost.fetchOne(db, key: hostID) else { return }
            if let facts { host.apply(facts) }
            host.status = status
            host.lastSeen = time
            try host.update(db)
            if var event { try event.insert(db) }
        }
    }

    public func markOffline(lastSeenBefore cutoff: Date, at time: Date) async throws -> [EdgeHost] {
        try await write { db in
            let silent = try EdgeHost.filter([HostStatus.online.rawValue, HostStatus.degraded.rawValue].contains(EdgeHost.Columns.status))
                .filter(Column("lastSeen") < cutoff).fetchAll(db)
            var changed: [EdgeHost] = []
            for var host in silent {
                host.status = .offline
                try host.update(db)
                var event = Event(
                    time: time, kind: "host.offline", severity: .warning, subject: "host/\(host.id)",
                    message:
                        "\(host.id) missed its heartbeats; last seen \(host.lastSeen.map { ISO8601DateFormatter().string(from: $0) } ?? "never")",
                    actor: "system")
                try event.insert(db)
                changed.append(host)
            }
            return changed
        }
    }
}
