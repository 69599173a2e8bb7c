import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee sites`: list theaters.
struct SitesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sites",
        abstract: "List theaters (sites), optionally selected by labels.",
        discussion: """
            Selector examples:
              marquee sites --select 'country = SE and screens >= 10'
              marquee sites --select 'region in (nordics, western-europe) and not snackbar = kiosk'
              marquee sites --select 'city = "São Paulo"'
            """
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(help: "Label selector, e.g. 'country = SE and screens >= 10'.")
    var select: String?

    @Option(help: "Only sites in this country (ISO 3166 alpha-2).")
    var country: String?

    @Option(help: "Only sites with this health: healthy, degraded, down, unknown.")
    var health: SiteHealth?

    @Flag(help: "Add OS, kernel and runtime columns.")
    var wide = false

    func run() async throws {
        _ = global.makeLogger("marquee.cli")
        let sites = try await global.fleetAPI().sites(SiteQuery(select: select, country: country, health: health))
        switch global.output {
        case .json: Output.printJSON(ListEnvelope(kind: "SiteList", items: sites))
        case .table: print(sites.isEmpty ? "No sites match." : FleetTables.sites(sites, wide: wide))
        }
    }
}

extension SiteHealth: ExpressibleByArgument {}
extension HostStatus: ExpressibleByArgument {}
