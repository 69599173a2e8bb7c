import Foundation
import GRDB

/// An open, migrated fleet database.
///
/// Production uses a `DatabasePool` (WAL mode: readers never wait for the writer) in a file;
/// unit tests use an in-memory `DatabaseQueue`. Open it once per process and share it.
/// Concurrent processes on the same file wait for each other (busy timeout) rather than fail.
public struct FleetDatabase: Sendable {
    /// The GRDB connection (pool or queue).
    public let writer: any DatabaseWriter
    /// The file path, or `:memory:`.
    public let path: String
    /// Heartbeat times waiting to be written to `host.lastSeen` (shared by every store on this
    /// database in this process).
    let lastSeen = LastSeenBuffer()

    /// How long a writer waits for another process's lock before failing.
    public static let busyTimeout: TimeInterval = 15

    /// How much of the file each connection maps into memory for reading (`PRAGMA mmap_size`).
    static let mappedBytes = 4 << 30

    /// Opens (creating if allowed) and migrates the database at `path`.
    ///
    /// - Parameters:
    ///   - path: the database file.
    ///   - create: when `false`, a missing file is an error rather than a new empty fleet.
    /// - Throws: ``StoreError`` naming the file: missing, not a database, corrupt, foreign or newer.
    public static func open(at path: String, create: Bool = true) throws(StoreError) -> FleetDatabase {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: path) {
            try checkHeader(path)
        } else if !create {
            throw .missing(path: path)
        } else {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                do {
                    try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } catch {
                    throw .cannotCreateDirectory(path: directory, reason: error.localizedDescription)
                }
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "marquee"
        configuration.prepareDatabase { db in
            // Reads map the file instead of copying each page through a system call: a log search
            // reads many 80 KB chunk bodies (about 3× faster on a 1 GB store). Address space only;
            // the kernel's page cache holds the pages either way.
            try db.execute(sql: "PRAGMA mmap_size = \(Self.mappedBytes)")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            let database = FleetDatabase(writer: pool, path: path)
            try database.migrate()
            return database
        } catch let error as StoreError {
            throw error
        } catch {
            throw map(error, path: path)
        }
    }

    /// A fresh, migrated in-memory database (for tests and throwaway runs).
    public static func inMemory() throws(StoreError) -> FleetDatabase {
        do {
            let database = FleetDatabase(writer: try DatabaseQueue(), path: ":memory:")
            try database.migrate()
            return database
        } catch let error as StoreError {
            throw error
        } catch {
            throw map(error, path: ":memory:")
        }
    }

    /// Applies pending migrations after checking the file is ours and not from a newer binary.
    func migrate() throws {
        let migrator = FleetMigrations.migrator
        try writer.write { db in
            let hasMigrationTable = try db.tableExists("grdb_migrations")
            if !hasMigrationTable {
                let tableCount =
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    ?? 0
                if tableCount > 0 { throw StoreError.foreignDatabase(path: path) }
            } else if try migrator.hasBeenSuperseded(db) {
                throw StoreError.newerSchema(path: path)
            }
        }
        try migrator.migrate(writer)
    }

    /// The identifier of the newest applied migration, e.g. `v2-workloads-events`.
    public func schemaVersion() throws(StoreError) -> String {
        do {
            return try writer.read { db in
                let applied = try FleetMigrations.migrator.appliedIdentifiers(db)
                return FleetMigrations.identifiers.last(where: applied.contains) ?? "empty"
            }
        } catch {
            throw Self.map(error, path: path)
        }
    }

    private static func checkHeader(_ path: String) throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty { return }
        if header != Data("SQLite format 3\0".utf8) { throw .notADatabase(path: path) }
    }

    /// Maps a GRDB/SQLite error to a ``StoreError`` naming the file.
    static func map(_ error: any Error, path: String) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let databaseError = error as? DatabaseError {
            switch databaseError.resultCode {
            case .SQLITE_NOTADB: return .notADatabase(path: path)
            case .SQLITE_CORRUPT: return .corrupt(path: path, detail: databaseError.message ?? "corrupt")
            default: return .database(path: path, detail: databaseError.message ?? "\(databaseError.resultCode)")
            }
        }
        return .database(path: path, detail: "\(error)")
    }
}

extension FleetDatabase {
    /// The SQLite library version in use, e.g. `3.40.1`.
    public func sqliteVersion() throws(StoreError) -> String {
        do {
            return try writer.read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "unknown" }
        } catch {
            throw Self.map(error, path: path)
        }
    }
}
