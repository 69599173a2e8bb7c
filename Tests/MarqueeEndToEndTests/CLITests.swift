import Foundation
import MarqueeCore
import MarqueeTestSupport
import Synchronization
import Testing

/// Runs the real `marquee` binary against real SQLite files.
@Suite struct CLITests {
    private struct SiteList: Decodable {
        struct Item: Decodable {
            struct Site: Decodable {
                var id: String
                var country: String
                var labels: [String: String]
            }
            var site: Site
        }
        var kind: String
        var count: Int
        var items: [Item]
    }

    private func withFleet(theaters: Int = 750, _ body: (CommandRunner, String) throws -> Void) throws {
        let directory = try TemporaryDirectory(prefix: "marquee-e2e")
        defer { directory.remove() }
        let database = directory.file("fleet.db")
        let runner = try CommandRunner(environment: ["MARQUEE_DB": database, "XDG_DATA_HOME": directory.file("xdg")])
        let generated = try runner.run(["fleet", "generate", "--theaters", "\(theaters)", "--output", "json"])
        #expect(generated.status == 0, "\(generated.stderr)")
        try body(runner, database)
    }

    @Test func selectsSwedishTheatersWithTenOrMoreScreensAsJSON() async throws {
        try await Blocking.run {
            try withFleet { runner, _ in
                let outcome = try runner.run(["sites", "--select", "country = SE and screens >= 10", "--output", "json"])
                #expect(outcome.status == 0)
                let list = try JSONDecoder().decode(SiteList.self, from: Data(outcome.stdout.utf8))
                #expect(list.kind == "SiteList")
                #expect(list.count == list.items.count && list.count > 0)
                for item in list.items {
                    #expect(item.site.country == "SE")
                    #expect(Int(item.site.labels["screens"] ?? "0")! >= 10)
                }
            }
        }
    }

    @Test func aMalformedSelectorExitsTwoWithTheColumn() async throws {
        try await Blocking.run {
            try withFleet(theaters: 10) { runner, _ in
                let outcome = try runner.run(["sites", "--select", "country = SE and screens >="])
                #expect(outcome.status == 2)
                #expect(outcome.stdout.isEmpty)
                #expect(outcome.stderr == "marquee: column 28: expected a number after '>=', but the selector ends here\n")
                let json = try runner.run(["sites", "--select", "country in (", "--output", "json"])
                #expect(json.status == 2)
                #expect(json.stdout.contains("\"code\" : \"input\""))
            }
        }
    }

    @Test func refusesToReplaceAFleetWithoutForce() async throws {
        try await Blocking.run {
            try withFleet(theaters: 10) { runner, database in
                let again = try runner.run(["fleet", "generate", "--theaters", "20"])
                #expect(again.status == 2)
                #expect(again.stderr.contains("already holds a fleet of 10 sites; pass --force"))
                #expect(again.stderr.contains(database))
                let forced = try runner.run(["fleet", "generate", "--theaters", "20", "--force", "--output", "json"])
                #expect(forced.status == 0)
                #expect(forced.stdout.contains("\"replaced\" : 10"))
                #expect(try runner.run(["sites", "--output", "json"]).stdout.contains("\"count\" : 20"))
            }
        }
    }

    @Test func tablesAlignWideCityNames() async throws {
        try await Blocking.run {
            try withFleet { runner, _ in
                let outcome = try runner.run(["sites", "--select", "country in (JP, CH, DK)"])
                #expect(outcome.status == 0)
                let lines = outcome.stdout.split(separator: "\n").map(String.init)
                #expect(lines.count > 10)
                #expect(lines.contains { $0.contains("東京") })
                // The HEALTH column starts at the same display column on every line
                let header = lines[0]
                let healthColumn = String(header[..<header.range(of: "HEALTH")!.lowerBound]).displayWidth
                for line in lines.dropFirst() {
                    let prefix = line.prefix { _ in true }
                    let healthStart = ["healthy", "degraded", "down"].compactMap { prefix.range(of: "  \($0) ") }.first
                    let column = String(line[..<healthStart!.lowerBound]).displayWidth + 2
                    #expect(column == healthColumn, "\(line)")
                }
            }
        }
    }

    @Test func showsASiteAndFiltersHosts() async throws {
        try await Blocking.run {
            try withFleet(theaters: 30) { runner, _ in
                let hosts = try runner.run(["hosts", "--site", "us-nyc-001", "--output", "json"])
                #expect(hosts.status == 0)
                #expect(hosts.stdout.contains("\"us-nyc-001-h3\""))
                let show = try runner.run(["site", "show", "us-nyc-001"])
                #expect(show.status == 0)
                #expect(show.stdout.contains("Cluster us-nyc-001-c1"))
                #expect(show.stdout.contains("America/New_York"))
                let missing = try runner.run(["site", "show", "xx-nope-001"])
                #expect(missing.status == 2)
                #expect(missing.stderr.contains("no site 'xx-nope-001'"))
                let badStatus = try runner.run(["hosts", "--status", "sleeping"])
                #expect(badStatus.status == 2)
            }
        }
    }

    @Test func infoReportsPathsAndSchema() async throws {
        try await Blocking.run {
            try withFleet(theaters: 5) { runner, database in
                let outcome = try runner.run(["info", "--output", "json"])
                #expect(outcome.status == 0)
                let info = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
                #expect(info?["database"] as? String == database)
                #expect(info?["databaseSource"] as? String == "MARQUEE_DB")
                #expect(info?["schema"] as? String == info?["latestSchema"] as? String)
                #expect(info?["sites"] as? Int == 5)
            }
        }
    }

    @Test func badDatabasesAndUsageErrorsExitTwoWithAClearMessage() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-e2e")
            defer { directory.remove() }
            let junk = directory.file("junk.db")
            try "not sqlite".write(toFile: junk, atomically: true, encoding: .utf8)
            let runner = try CommandRunner()
            let notADatabase = try runner.run(["sites", "--db", junk])
            #expect(notADatabase.status == 2)
            #expect(notADatabase.stderr == "marquee: \(junk) is not an SQLite database; point --db (or MARQUEE_DB) at a Marquee database\n")
            let missing = try runner.run(["sites", "--db", directory.file("absent.db")])
            #expect(missing.status == 2)
            #expect(missing.stderr.contains("no fleet database at"))
            let unknownOption = try runner.run(["sites", "--colour"])
            #expect(unknownOption.status == 2)
            #expect(unknownOption.stderr.split(separator: "\n").count == 1)
            let help = try runner.run(["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("fleet"))
        }
    }

    @Test func concurrentWritersOnOneDatabaseBothSucceed() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-e2e")
            defer { directory.remove() }
            let runner = try CommandRunner(environment: ["MARQUEE_DB": directory.file("busy.db")])
            _ = try runner.run(["fleet", "generate", "--theaters", "5"])
            let outcomes = Mutex<[Int32]>([])
            DispatchQueue.concurrentPerform(iterations: 3) { _ in
                let outcome = try? runner.run(["fleet", "generate", "--theaters", "400", "--force", "--output", "json"])
                outcomes.withLock { $0.append(outcome?.status ?? -1) }
            }
            #expect(outcomes.withLock { $0 } == [0, 0, 0])
        }
    }
}
