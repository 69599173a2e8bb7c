import Foundation
import GRDB

extension FleetMigrations {
    /// v18: log lines move from a row each (`logLine` + trigram FTS, ~8,000 lines/s) to chunks
    /// (one row per host report, a word index per chunk); the lines stored so far are copied.
    static func registerLogChunks(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v18-log-chunks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE logChunk (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        siteID TEXT NOT NULL,
                        hostID TEXT NOT NULL,
                        kernel TEXT NOT NULL,
                        runtime TEXT NOT NULL,
                        minTime REAL NOT NULL,
                        maxTime REAL NOT NULL,
                        lineCount INTEGER NOT NULL,
                        layers INTEGER NOT NULL,
                        body BLOB NOT NULL
                    )
                    """)
            try db.execute(sql: "CREATE INDEX logChunk_host ON logChunk (hostID, maxTime)")
            try db.execute(sql: "CREATE INDEX logChunk_site ON logChunk (siteID, maxTime)")
            try db.execute(sql: "CREATE INDEX logChunk_time ON logChunk (maxTime)")
            try db.execute(sql: "CREATE INDEX logChunk_start ON logChunk (minTime)")
            try db.execute(
                sql: """
                    CREATE TABLE logChunkRef (
                        kind TEXT NOT NULL, value TEXT NOT NULL, maxTime REAL NOT NULL, chunkID INTEGER NOT NULL,
                        PRIMARY KEY (kind, value, maxTime, chunkID)
                    ) WITHOUT ROWID
                    """)
            try db.execute(sql: "CREATE INDEX logChunkRef_chunk ON logChunkRef (chunkID)")
            try db.execute(
                sql: """
                    CREATE TABLE logChunkPattern (
                        pattern TEXT NOT NULL, layer TEXT NOT NULL, chunkID INTEGER NOT NULL, hostID TEXT NOT NULL,
                        kernel TEXT NOT NULL, runtime TEXT NOT NULL, firstTime REAL NOT NULL, lastTime REAL NOT NULL
                    )
                    """)
            try db.execute(sql: "CREATE INDEX logChunkPattern_scan ON logChunkPattern (pattern, lastTime)")
            try db.execute(sql: "CREATE INDEX logChunkPattern_chunk ON logChunkPattern (chunkID)")
            try db.execute(
                sql: "CREATE VIRTUAL TABLE logChunkText USING fts5(messages, content = '', tokenize = 'ascii', detail = 'none')")
            try copyLogLines(db)
            try db.execute(sql: "DROP TRIGGER logLine_indexed")
            try db.execute(sql: "DROP TRIGGER logLine_unindexed")
            try db.execute(sql: "DROP TABLE logText")
            try db.execute(sql: "DROP TABLE logLine")
        }
    }

    /// Copies v11's rows into chunks of up to 1,000 lines per host, kernel/runtime and 300-s bucket.
    /// Written against the tables as v18 creates them (not through `LogChunkStore`, which follows
    /// later schemas).
    private static func copyLogLines(_ db: Database) throws {
        let hosts = try String.fetchAll(db, sql: "SELECT DISTINCT hostID FROM logLine")
        for hostID in hosts {
            // Chunks never span more than 300 s of log time (`LogChunkBody.timeSpan` when v18 shipped).
            let rows = try Row.fetchAll(
                db, sql: "SELECT *, CAST(time / 300 AS INTEGER) AS bucket FROM logLine WHERE hostID = ? ORDER BY bucket, id", arguments: [hostID])
            var start = 0
            while start < rows.count {
                let first = rows[start]
                var end = start
                while end < rows.count, end - start < 1_000, rows[end]["kernel"] == first["kernel"] as String,
                    rows[end]["runtime"] == first["runtime"] as String, rows[end]["siteID"] == first["siteID"] as String,
                    rows[end]["bucket"] == first["bucket"] as Int64
                {
                    end += 1
                }
                let lines = rows[start..<end].enumerated().map { index, row in
                    LogChunkBody.Line(
                        index: index, time: row["time"], severity: LogSeverity(rawValue: row["severity"]) ?? .info,
                        layer: LogLayer(rawValue: row["layer"]) ?? .app, source: row["source"], message: row["message"], container: row["container"],
                        runtimeInstance: row["runtimeInstance"], tenant: row["tenant"], app: row["app"], service: row["service"])
                }
                try db.execute(
                    sql: """
                        INSERT INTO logChunk (siteID, hostID, kernel, runtime, minTime, maxTime, lineCount, layers, body)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        first["siteID"], hostID, first["kernel"], first["runtime"], lines.map(\.time).min(), lines.map(\.time).max(),
                        lines.count, lines.reduce(0) { $0 | 1 << LogLayer.allCases.firstIndex(of: $1.layer)! }, Data(LogChunkBody.encode(lines)),
                    ])
                let chunkID = db.lastInsertedRowID
                let maxTime = lines.map(\.time).max()!
                for (kind, values) in [
                    ("container", lines.compactMap(\.container)), ("app", lines.compactMap(\.app)), ("tenant", lines.compactMap(\.tenant)),
                ] {
                    for value in Set(values) {
                        try db.execute(
                            sql: "INSERT OR IGNORE INTO logChunkRef (kind, value, maxTime, chunkID) VALUES (?, ?, ?, ?)",
                            arguments: [kind, value, maxTime, chunkID])
                    }
                }
                try db.execute(
                    sql: "INSERT INTO logChunkText (rowid, messages) VALUES (?, ?)",
                    arguments: [chunkID, lines.map { $0.message + "\n" }.joined()])
                for line in lines where line.layer == .kernel || line.layer == .runtime {
                    try db.execute(
                        sql: """
                            INSERT INTO logChunkPattern (pattern, layer, chunkID, hostID, kernel, runtime, firstTime, lastTime)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            LogPattern.of(line.message), line.layer.rawValue, chunkID, hostID, first["kernel"], first["runtime"], line.time,
                            line.time,
                        ])
                }
                start = end
            }
        }
    }
}
