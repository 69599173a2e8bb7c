import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee topology CONTAINER|HOST`: where it sits, and what shares its host, runtime and kernel.
struct TopologyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topology",
        abstract: "A container's app, host, kernel, runtime, OS and agent; or a host's; and what in the fleet shares them.")

    @Argument(help: "A container instance id (HOST/APP/CONTAINER-N) or a host id.") var subject: String
    @Option(help: "Example containers listed per shared runtime / kernel.") var limit = 10
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        _ = global.makeLogger("marquee.cli")
        let topology = try await global.logAPI().topology(of: subject, limit: limit)
        switch global.output {
        case .json:
            Output.printJSON(topology)
        case .table:
            print(Self.render(topology, limit: limit))
        }
    }

    static func render(_ topology: Topology, limit: Int) -> String {
        let host = topology.host
        var lines: [String] = []
        if let container = topology.container {
            lines.append(
                "container  \(container.id)  \(container.state.rawValue)  runtime instance \(container.runtimeInstance.isEmpty ? "-" : container.runtimeInstance)"
            )
            lines.append("  service  \(container.service)")
            lines.append("  app      \(container.app) \(container.version.isEmpty ? "" : container.version)  tenant \(container.tenant)")
        }
        lines.append("host       \(host.id) (\(host.hostname))  \(host.status.rawValue)  at \(host.siteName) [\(host.siteID)], \(host.country)")
        lines.append("  kernel   \(host.kernel)")
        lines.append("  runtime  \(host.runtime)")
        lines.append("  os       \(host.os)")
        lines.append("  agent    \(host.agentVersion)")
        lines.append("")
        lines.append("On this host (\(topology.onHost.count)):")
        var onHost = TextTable(columns: [.init("CONTAINER"), .init("APP"), .init("VERSION"), .init("STATE"), .init("INSTANCE")])
        for node in topology.onHost { onHost.append([node.id, node.app, node.version, node.state.rawValue, node.runtimeInstance]) }
        lines.append(onHost.render())
        for shared in topology.shared {
            lines.append("")
            lines.append(
                "Sharing \(shared.attribute.rawValue) \(shared.value): \(shared.hosts) hosts at \(shared.sites) theaters, \(shared.containers) containers"
                    + (shared.containers > shared.examples.count ? " (first \(shared.examples.count))" : ""))
            guard !shared.examples.isEmpty else { continue }
            var table = TextTable(columns: [.init("CONTAINER"), .init("APP"), .init("VERSION"), .init("STATE")])
            for node in shared.examples { table.append([node.id, node.app, node.version, node.state.rawValue]) }
            lines.append(table.render())
        }
        return lines.joined(separator: "\n")
    }
}
