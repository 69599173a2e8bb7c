/// Why the fleet database could not be opened, read or written.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// No database file exists where one was required.
    case missing(path: String)
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String)
    /// SQLite reports the file as damaged.
    case corrupt(path: String, detail: String)
    /// An SQLite database that Marquee did not create.
    case foreignDatabase(path: String)
    /// The database was migrated by a newer Marquee than this one.
    case newerSchema(path: String)
    /// The directory for the database could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// Any other database failure.
    case database(path: String, detail: String)
    /// A write would replace existing data and the caller did not ask to.
    case fleetNotEmpty(path: String, sites: Int)

    public var description: String {
        switch self {
        case .missing(let path):
            "no fleet database at \(path); create one with 'marquee fleet generate' or pass --db PATH"
        case .notADatabase(let path):
            "\(path) is not an SQLite database; point --db (or MARQUEE_DB) at a Marquee database"
        case .corrupt(let path, let detail):
            "\(path) is damaged (\(detail)); restore it from a backup or generate a new fleet elsewhere"
        case .foreignDatabase(let path):
            "\(path) is an SQLite database that Marquee did not create; refusing to touch it"
        case .newerSchema(let path):
            "\(path) was written by a newer Marquee; upgrade this binary before using it"
        case .cannotCreateDirectory(let path, let reason):
            "cannot create the database directory \(path): \(reason)"
        case .database(let path, let detail):
            "database error in \(path): \(detail)"
        case .fleetNotEmpty(let path, let sites):
            "\(path) already holds a fleet of \(sites) sites; pass --force to replace it"
        }
    }
}

extension StoreError: InputError {}
