import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee site …`: one theater.
struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Inspect one theater.",
        subcommands: [Show.self]
    )

    /// `marquee site show ID`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a theater, its cluster, hosts and recent events.")

        @OptionGroup(title: "Global Options") var global: GlobalOptions

        @Argument(help: "Site id, e.g. se-sto-001.")
        var id: String

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let detail = try await global.fleetAPI().site(id: id)
            switch global.output {
            case .json: Output.printJSON(detail)
            case .table: print(FleetTables.siteDetail(detail, now: Date()))
            }
        }
    }
}
