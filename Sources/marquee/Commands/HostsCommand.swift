import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee hosts`: list edge hosts.
struct HostsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts",
        abstract: "List edge hosts, optionally by site, status or a selector over their sites' labels."
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(help: "Label selector over the hosts' sites, e.g. 'country = DE'.")
    var select: String?

    @Option(help: "Only hosts of this site.")
    var site: String?

    @Option(help: "Only hosts in this status: pending, online, degraded, offline, cordoned, upgrading, revoked.")
    var status: HostStatus?

    func run() async throws {
        _ = global.makeLogger("marquee.cli")
        let api = try global.fleetAPI()
        if let site { _ = try await api.site(id: site) }
        let hosts = try await api.hosts(HostQuery(select: select, siteID: site, status: status))
        switch global.output {
        case .json: Output.printJSON(ListEnvelope(kind: "HostList", items: hosts))
        case .table: print(hosts.isEmpty ? "No hosts match." : FleetTables.hosts(hosts, now: Date()))
        }
    }
}
