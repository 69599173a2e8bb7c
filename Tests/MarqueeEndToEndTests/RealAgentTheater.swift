import Foundation
import GRDB
import MarqueeCore
import MarqueeTestSupport

/// One generated theater whose generated hosts are offline, so only real agents that enroll there
/// take containers, and a real tower on it (heartbeats every second, offline after 30 missed).
struct RealAgentTheater {
    let runner: CommandRunner
    let database: String
    let site: String
    let tower: Process
    let url: String
    /// The CLI pointed at the tower.
    let cli: CommandRunner

    init(in directory: TemporaryDirectory) throws {
        database = directory.file("fleet.db")
        runner = try CommandRunner(environment: ["MARQUEE_DB": database])
        let generated = try runner.run(["fleet", "generate", "--theaters", "1", "--output", "json"])
        guard generated.status == 0 else { throw SetupFailed(reason: generated.stderr) }
        let fleet = try FleetDatabase.open(at: database, create: false)
        try fleet.writer.write { db in try db.execute(sql: "UPDATE host SET status = 'offline'") }
        guard let site = try fleet.writer.read({ db in try String.fetchOne(db, sql: "SELECT id FROM site") }) else {
            throw SetupFailed(reason: "the generated fleet has no site")
        }
        self.site = site
        (tower, url) = try TestProcesses.startTower(
            runner.executable, ["tower", "--listen", "127.0.0.1:0", "--db", database, "--heartbeat-interval", "1", "--missed-heartbeats", "30"],
            log: directory.file("tower.log"))
        cli = try CommandRunner(environment: ["MARQUEE_DB": database, "MARQUEE_TOWER": url])
    }
}

/// The test's setup could not be made.
struct SetupFailed: Error, CustomStringConvertible {
    let reason: String
    var description: String { "test setup failed: \(reason)" }
}
