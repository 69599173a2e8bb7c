import Foundation
import GRDB
import MarqueeCore
import MarqueeTestSupport
import Testing

@Suite struct MigrationTests {
    @Test func aDatabaseFromTheFirstMigrationIsMigratedWithItsDataKept() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("old.db")

        // Given a database written by the first migration only, with a site and a host in it
        let pool = try DatabasePool(path: path)
        try FleetMigrations.migrator.migrate(pool, upTo: "v1-inventory")
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO tenant (id, name, kind) VALUES ('mtc-platform', 'Platform', 'siteProvider')")
            try db.execute(
                sql: """
                    INSERT INTO site (id, name, country, city, timeZone, labels, status)
                    VALUES ('se-sto-001', 'Stockholm Plaza', 'SE', 'Stockholm', 'Europe/Stockholm', '{"country":"SE"}', 'active')
                    """)
            try db.execute(sql: "INSERT INTO cluster (id, siteID) VALUES ('se-sto-001-c1', 'se-sto-001')")
            try db.execute(
                sql: """
                    INSERT INTO host (id, serialNumber, hostname, siteID, clusterID, osName, osVersion, kernelRelease,
                      runtimeName, runtimeVersion, agentVersion, cpuCores, memoryBytes, diskBytes, status, lastSeen)
                    VALUES ('se-sto-001-h1', 'MQ1', 'se-sto-001-h1', 'se-sto-001', 'se-sto-001-c1', 'Debian', '12',
                      '6.1.0-18-amd64', 'containerd', '1.7.13', '1.4.1', 8, 1, 1, 'online', NULL)
                    """)
        }
        try pool.close()

        // When Marquee opens it
        let database = try FleetDatabase.open(at: path, create: false)

        // Then every migration is applied and the old rows read back through the model
        #expect(try database.schemaVersion() == FleetMigrations.identifiers.last)
        let store = SQLiteFleetStore(database)
        #expect(try await store.site(id: "se-sto-001")?.labels == ["country": "SE"])
        #expect(try await store.host(id: "se-sto-001-h1")?.kernelRelease == "6.1.0-18-amd64")
        let recorded = try await store.record(
            Event(time: Fixtures.now, kind: "test", severity: .info, subject: "site/se-sto-001", message: "m", actor: "test"))
        #expect(recorded.id != nil)
    }

    @Test func refusesADatabaseMigratedByANewerMarquee() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("newer.db")
        _ = try FleetDatabase.open(at: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
        try queue.close()

        #expect(throws: StoreError.newerSchema(path: path)) { try FleetDatabase.open(at: path) }
    }

    @Test func refusesAnSQLiteDatabaseItDidNotCreate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("foreign.db")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE invoices (id INTEGER PRIMARY KEY)") }
        try queue.close()

        #expect(throws: StoreError.foreignDatabase(path: path)) { try FleetDatabase.open(at: path) }
    }

    @Test func namesAFileThatIsNotADatabase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("notes.db")
        try "these are not the tables you are looking for\n".write(toFile: path, atomically: true, encoding: .utf8)

        #expect(throws: StoreError.notADatabase(path: path)) { try FleetDatabase.open(at: path) }
        #expect(StoreError.notADatabase(path: path).description.contains(path))
    }

    @Test func aMissingFileIsAnErrorWhenCreationIsNotAllowed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("absent/fleet.db")
        #expect(throws: StoreError.missing(path: path)) { try FleetDatabase.open(at: path, create: false) }
        _ = try FleetDatabase.open(at: path, create: true)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func resolvesTheDefaultPathFromTheEnvironment() {
        #expect(DatabaseLocation.resolve(explicit: "/x/a.db", environment: ["MARQUEE_DB": "/y/b.db"]) == "/x/a.db")
        #expect(DatabaseLocation.resolve(explicit: nil, environment: ["MARQUEE_DB": "/y/b.db"]) == "/y/b.db")
        #expect(DatabaseLocation.resolve(explicit: nil, environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]) == "/d/marquee/marquee.db")
        #expect(DatabaseLocation.resolve(explicit: nil, environment: ["HOME": "/h"]) == "/h/.local/share/marquee/marquee.db")
    }
}
