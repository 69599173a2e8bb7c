import GRDB
import GRDBSQLite

/// A value bound to a statement parameter through the SQLite C API.
protocol DirectBindable {
    /// Binds `self` to parameter `index` (1-based); returns SQLite's result code.
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32
}

extension Int64: DirectBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, self) }
}

extension Int: DirectBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, Int64(self)) }
}

extension Double: DirectBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 { sqlite3_bind_double(statement, index, self) }
}

extension String: DirectBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        var text = self
        return text.withUTF8 { bytes in
            // SQLite binds NULL for a null pointer: an empty string needs a real one.
            guard let base = bytes.baseAddress else { return sqlite3_bind_text(statement, index, "", 0, directTransient) }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(statement, index, $0, Int32(bytes.count), directTransient)
            }
        }
    }
}

extension Optional: DirectBindable where Wrapped: DirectBindable {
    func bind(to statement: SQLiteStatement, at index: Int32) -> Int32 {
        switch self {
        case .some(let value): value.bind(to: statement, at: index)
        case .none: sqlite3_bind_null(statement, index)
        }
    }
}

/// SQLite copies the bytes before the call returns.
private let directTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// The current row of a statement stepped through the C API, read by column index.
struct DirectRow {
    fileprivate let statement: SQLiteStatement

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(statement, column) else { return "" }
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
    }
}

extension Statement {
    /// Binds `values` by position and runs the statement through the SQLite C API. For the
    /// heartbeat's statements, run thousands of times a second: GRDB's `StatementArguments` and
    /// `Row` (a `DatabaseValue` per value) cost more than SQLite's own work on these one-row
    /// statements (perf, 2026-11-28).
    ///
    /// Only for tables no GRDB observation tracks: the statement skips GRDB's execution hooks. The
    /// fleet revision, which consoles observe, is written through GRDB.
    func direct<each Value: DirectBindable>(_ values: repeat each Value, db: Database) throws {
        _ = try directRow(repeat each values, db: db) { _ in () }
    }

    /// Like ``direct(_:db:)``, with `read` called on the first row; `nil` when there is none.
    func directRow<each Value: DirectBindable, Result>(
        _ values: repeat each Value, db: Database, read: (DirectRow) throws -> Result
    ) throws -> Result? {
        let handle = sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        var index: Int32 = 0
        for value in repeat each values {
            index += 1
            let code = value.bind(to: handle, at: index)
            guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql) }
        }
        guard index == sqlite3_bind_parameter_count(handle) else {
            throw DatabaseError(
                resultCode: .SQLITE_RANGE, message: "\(index) values for \(sqlite3_bind_parameter_count(handle)) parameters", sql: sql)
        }
        var result: Result?
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: if result == nil { result = try read(DirectRow(statement: handle)) }
            case SQLITE_DONE: return result
            case let code: throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
            }
        }
    }
}
