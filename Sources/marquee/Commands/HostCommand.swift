import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee host …`: one edge host.
struct HostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "Inspect one edge host.",
        subcommands: [Show.self]
    )

    /// `marquee host show ID`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a host: facts, status, what its outbox delivered, latest metrics, containers and recent events.")

        @OptionGroup(title: "Global Options") var global: GlobalOptions

        @Argument(help: "Host id, e.g. se-sto-001-h1.")
        var id: String

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let detail = try await global.fleetAPI().host(id: id)
            switch global.output {
            case .json: Output.printJSON(detail)
            case .table: print(FleetTables.hostDetail(detail, now: Date()))
            }
        }
    }
}
