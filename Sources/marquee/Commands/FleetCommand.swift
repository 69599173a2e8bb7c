import ArgumentParser

/// `marquee fleet …`: manage the (simulated) fleet inventory.
struct FleetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fleet",
        abstract: "Manage the fleet inventory.",
        subcommands: [FleetGenerateCommand.self]
    )
}
