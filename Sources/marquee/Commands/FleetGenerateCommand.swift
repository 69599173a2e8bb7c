import ArgumentParser
import Foundation
import Logging
import MarqueeCore
import MarqueeSim

/// `marquee fleet generate`: writes a deterministic simulated fleet into the database.
struct FleetGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a realistic theater fleet (3 hosts per theater) into the database.",
        discussion: "The same --seed always gives the same fleet. Refuses to replace an existing fleet without --force."
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(help: "Number of theaters (sites).")
    var theaters = 750

    @Option(help: "Random seed; the same seed gives the same fleet.")
    var seed: UInt64 = 1

    @Flag(help: "Replace an existing fleet.")
    var force = false

    func run() async throws {
        let logger = global.makeLogger("marquee.fleet")
        let generator = try FleetGenerator(.init(theaters: theaters, seed: seed, now: Date()))
        let (database, store) = try global.openFleet(create: true)
        let existing = try await store.siteCount()
        if existing > 0 && !force { throw StoreError.fleetNotEmpty(path: database.path, sites: existing) }

        let progress = TerminalProgress(label: "Generating theaters", output: global.output)
        let snapshot = generator.generate(progress: progress.update)
        progress.finish()
        try await store.replaceFleet(with: snapshot)
        logger.info(
            "Fleet generated",
            metadata: ["fleet.sites": "\(snapshot.sites.count)", "fleet.hosts": "\(snapshot.hosts.count)", "db.path": "\(database.path)"])

        let result = GenerateResult(
            database: database.path, seed: seed, sites: snapshot.sites.count, hosts: snapshot.hosts.count,
            countries: Set(snapshot.sites.map(\.country)).count, containers: snapshot.containers.count, replaced: existing)
        switch global.output {
        case .json:
            Output.printJSON(result)
        case .table:
            print(
                "Generated \(result.sites) theaters in \(result.countries) countries with \(result.hosts) hosts and \(result.containers) containers (seed \(seed))"
            )
            print("Database: \(result.database)")
            print("Next: marquee sites --select 'country = SE and screens >= 10'")
        }
    }
}

/// JSON result of `marquee fleet generate`.
struct GenerateResult: Encodable {
    var database: String
    var seed: UInt64
    var sites: Int
    var hosts: Int
    var countries: Int
    var containers: Int
    /// Sites that were in the database before and were replaced.
    var replaced: Int
}
