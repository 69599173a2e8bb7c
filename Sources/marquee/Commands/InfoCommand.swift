import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee info`: where things are and what versions are in use.
struct InfoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show resolved paths, versions and the database schema version."
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        _ = global.makeLogger("marquee.cli")
        let environment = ProcessInfo.processInfo.environment
        let path = global.databasePath
        var info = Info(
            version: MarqueeVersion.current, database: path,
            databaseSource: global.db != nil ? "--db" : environment[DatabaseLocation.environmentKey] != nil ? "MARQUEE_DB" : "default",
            databaseExists: FileManager.default.fileExists(atPath: path),
            dataDirectory: DatabaseLocation.dataDirectory(environment: environment),
            latestSchema: FleetMigrations.identifiers.last ?? "none")
        if info.databaseExists {
            let (database, store) = try global.openFleet()
            info.schema = try database.schemaVersion()
            info.sqlite = try database.sqliteVersion()
            info.sites = try await store.siteCount()
            info.hosts = try await store.hosts(siteID: nil, status: nil).count
        }
        switch global.output {
        case .json: Output.printJSON(info)
        case .table:
            var table = TextTable(columns: [.init("KEY"), .init("VALUE")])
            table.append(["version", info.version])
            table.append(["database", "\(info.database) (\(info.databaseSource)\(info.databaseExists ? "" : ", not created yet"))"])
            table.append(["data directory", info.dataDirectory])
            table.append(["schema", "\(info.schema ?? "-") (latest \(info.latestSchema))"])
            table.append(["sqlite", info.sqlite ?? "-"])
            table.append(["sites", info.sites.map(String.init) ?? "-"])
            table.append(["hosts", info.hosts.map(String.init) ?? "-"])
            print(table.render())
        }
    }
}

/// JSON result of `marquee info`.
struct Info: Encodable {
    var version: String
    var database: String
    var databaseSource: String
    var databaseExists: Bool
    var dataDirectory: String
    var latestSchema: String
    var schema: String?
    var sqlite: String?
    var sites: Int?
    var hosts: Int?
}
