import Foundation
import GRDB

extension SQLiteFleetStore {
    /// The topology of a container id or a host id; `nil` when it is neither.
    public func topology(of subject: String, limit: Int) async throws -> Topology? {
        try await read { db in
            let container = try ContainerInstance.fetchOne(db, key: subject)
            guard let host = try EdgeHost.fetchOne(db, key: container?.hostID ?? subject) else { return nil }
            let site = try Site.fetchOne(db, key: host.siteID)
            let onHost = try ContainerInstance.filter(ContainerInstance.Columns.hostID == host.id).order(Column("id")).fetchAll(db)
            let conditions: [(Topology.Shared.Attribute, String, String, [any DatabaseValueConvertible])] = [
                (.runtime, host.runtimeDescription, "h.runtimeName = ? AND h.runtimeVersion = ?", [host.runtimeName, host.runtimeVersion]),
                (.kernel, host.kernelRelease, "h.kernelRelease = ?", [host.kernelRelease]),
                (
                    .runtimeAndKernel, "\(host.runtimeDescription) on \(host.kernelRelease)",
                    "h.runtimeName = ? AND h.runtimeVersion = ? AND h.kernelRelease = ?", [host.runtimeName, host.runtimeVersion, host.kernelRelease]
                ),
            ]
            let shared = try conditions.map { attribute, value, condition, arguments in
                let counts = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) AS hosts, COUNT(DISTINCT h.siteID) AS sites,
                               (SELECT COUNT(*) FROM containerInstance c JOIN host h ON h.id = c.hostID WHERE \(condition)) AS containers
                        FROM host h WHERE \(condition)
                        """, arguments: StatementArguments(arguments + arguments))!
                let examples = try Row.fetchAll(
                    db,
                    sql:
                        "SELECT c.*, h.siteID AS siteID FROM containerInstance c JOIN host h ON h.id = c.hostID WHERE \(condition) ORDER BY c.id LIMIT ?",
                    arguments: StatementArguments(arguments + [limit])
                ).map { row in Topology.Node(try ContainerInstance(row: row), siteID: row["siteID"]) }
                return Topology.Shared(
                    attribute: attribute, value: value, hosts: counts["hosts"], sites: counts["sites"], containers: counts["containers"],
                    examples: examples)
            }
            return Topology(
                container: container.map { Topology.Node($0, siteID: host.siteID) }, host: Topology.HostNode(host, site: site),
                onHost: onHost.map { Topology.Node($0, siteID: host.siteID) }, shared: shared)
        }
    }
}
