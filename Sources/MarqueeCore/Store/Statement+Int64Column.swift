import GRDB
import GRDBSQLite

extension Statement {
    /// The first column of every row as `Int64`, stepped through the SQLite C API.
    ///
    /// GRDB's generic `Int64.fetchAll` pays a dynamic cast per row, which a word-index lookup of
    /// thousands of row ids feels (a millisecond per 8,000 rows); this reads them at SQLite's pace.
    func int64Column(_ arguments: StatementArguments, db: Database) throws -> [Int64] {
        sqlite3_reset(sqliteStatement)
        try setArguments(arguments)
        defer { sqlite3_reset(sqliteStatement) }
        var values: [Int64] = []
        while true {
            switch sqlite3_step(sqliteStatement) {
            case SQLITE_ROW: values.append(sqlite3_column_int64(sqliteStatement, 0))
            case SQLITE_DONE: return values
            case let code: throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
            }
        }
    }
}
