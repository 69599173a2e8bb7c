import Foundation
import MarqueeCore

/// Where a container or host sits: a panel with the chain container → app → host → kernel,
/// runtime, OS, agent, and a table of the containers that share the host, runtime and kernel.
enum TopologyTables {
    static func containers(_ topology: Topology?) -> TableModel {
        let columns = [
            TableColumn("SHARES", sortKey: "S", priority: 0, maxWidth: 15),
            TableColumn("CONTAINER", sortKey: "C", priority: 0, maxWidth: 60, flexible: true),
            TableColumn("APP", sortKey: "A", priority: 1, maxWidth: 20),
            TableColumn("VERSION", sortKey: "V", priority: 2, maxWidth: 10),
            TableColumn("STATE", sortKey: "T", priority: 1, maxWidth: 10),
            TableColumn("THEATER", sortKey: "H", priority: 2, maxWidth: 12),
        ]
        guard let topology else { return TableModel(columns: columns, rows: []) }
        var seen: Set<String> = []
        var rows: [TableRow] = []
        let groups: [(String, [Topology.Node])] =
            [("this host", topology.onHost)]
            + [Topology.Shared.Attribute.runtimeAndKernel, .runtime, .kernel].compactMap { attribute in
                topology.shared.first { $0.attribute == attribute }.map { (attribute.rawValue, $0.examples) }
            }
        for (order, (label, nodes)) in groups.enumerated() {
            for node in nodes where seen.insert(node.id).inserted {
                let role: StyleRole? = node.state == .running ? nil : .statusWarn
                rows.append(
                    TableRow(
                        id: node.id, cells: [label, node.id, node.app, node.version, node.state.rawValue, node.siteID],
                        styles: [order == 0 ? .menu : nil, node.id == topology.container?.id ? .title : nil, nil, nil, role, nil],
                        sortValues: [
                            .number(Double(order)), .text(node.id), .text(node.app), .text(node.version), .text(node.state.rawValue),
                            .text(node.siteID),
                        ]))
            }
        }
        return TableModel(columns: columns, rows: rows)
    }

    /// Six lines: the container, its app, its host, and the host's kernel, runtime, OS and agent
    /// with how much of the fleet shares each.
    static func panel(_ topology: Topology) -> [[(String, StyleRole)]] {
        let host = topology.host
        let shared = Dictionary(uniqueKeysWithValues: topology.shared.map { ($0.attribute, $0) })
        func reach(_ attribute: Topology.Shared.Attribute) -> String {
            guard let figures = shared[attribute] else { return "" }
            return "  — \(figures.hosts) hosts at \(figures.sites) theaters, \(figures.containers) containers"
        }
        var lines: [[(String, StyleRole)]] = []
        if let container = topology.container {
            lines.append([
                (container.id, .title), ("  \(container.state.rawValue)", .body),
                ("  instance \(container.runtimeInstance.isEmpty ? "-" : container.runtimeInstance)", .body),
            ])
            lines.append([
                ("App       ", .menu), ("\(container.app) \(container.version)", .body),
                (" · service \(container.service) · tenant \(container.tenant)", .body),
            ])
        } else {
            lines.append([(host.id, .title), ("  \(topology.onHost.count) containers", .body)])
        }
        lines.append([
            ("Host      ", .menu), ("\(host.id) (\(host.hostname)) \(host.status.rawValue)", .body),
            (" · \(host.siteName) [\(host.siteID)], \(host.country)", .body),
        ])
        lines.append([("Kernel    ", .menu), (host.kernel, .statusWarn), (reach(.kernel), .body)])
        lines.append([
            ("Runtime   ", .menu), (host.runtime, .statusWarn), (reach(.runtime), .body),
            ("; with this kernel\(reach(.runtimeAndKernel).replacingOccurrences(of: "  —", with: ":"))", .body),
        ])
        lines.append([("OS, agent ", .menu), ("\(host.os) · agent \(host.agentVersion)", .body)])
        return Array(lines.prefix(6))
    }
}
