import GRDB
import Testing

@testable import MarqueeCore

/// Statements bound and stepped through the C API store what GRDB would, and refuse a wrong
/// number of values.
@Suite struct DirectStatementTests {
    @Test func bindsEveryKindAsGRDBDoes() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, d REAL, s TEXT, n TEXT)")
            let insert = try db.cachedStatement(sql: "INSERT INTO t (id, i, d, s, n) VALUES (?, ?, ?, ?, ?)")
            let none: String? = nil
            try insert.direct(1, Int64.max, 0.25, "", none, db: db)
            try insert.direct(2, -7, -1e300, "théâtre ✓ \u{0}tail", "x" as String?, db: db)
            let rows = try Row.fetchAll(db, sql: "SELECT id, i, d, s, n, typeof(s), typeof(n) FROM t ORDER BY id")
            #expect(rows[0]["i"] == Int64.max && rows[0]["d"] == 0.25)
            #expect(rows[0]["s"] == "" && rows[0][5] == "text", "an empty string is text, not NULL")
            #expect(rows[0][6] == "null")
            #expect(rows[1]["i"] == -7 && rows[1]["d"] == -1e300)
            let stored = try Int.fetchOne(db, sql: "SELECT length(CAST(s AS BLOB)) FROM t WHERE id = 2")
            #expect(stored == "théâtre ✓ \u{0}tail".utf8.count, "the whole string, past a NUL")
            #expect(rows[1]["n"] == "x")

            let select = try db.cachedStatement(sql: "SELECT s, n, i FROM t WHERE id = ?")
            let read = try select.directRow(2, db: db) { row in (row.string(0), row.isNull(1), row.int64(2)) }
            #expect(read?.0 == "théâtre ✓ \u{0}tail" && read?.1 == false && read?.2 == -7)
            #expect(try select.directRow(3, db: db) { $0.int64(2) } == nil)
            // The statement is reset after each use, so the next one sees the new binding.
            #expect(try select.directRow(1, db: db) { $0.isNull(1) } == true)
        }
    }

    @Test func refusesTheWrongNumberOfValuesAndReportsConstraints() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT NOT NULL)")
            let insert = try db.cachedStatement(sql: "INSERT INTO t (id, s) VALUES (?, ?)")
            #expect(throws: DatabaseError.self) { try insert.direct(1, db: db) }
            let none: String? = nil
            #expect(throws: DatabaseError.self) { try insert.direct(1, none, db: db) }
            try insert.direct(1, "ok", db: db)
            #expect(throws: DatabaseError.self) { try insert.direct(1, "again", db: db) }
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM t") == 1)
        }
    }
}
