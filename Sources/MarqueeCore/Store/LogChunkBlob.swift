import Foundation
import GRDB
import GRDBSQLite

/// Reads parts of chunk bodies (`logChunk.body`) without loading them whole: SQLite's incremental
/// blob I/O follows a body's overflow pages only as far as the bytes asked for. A rare text's
/// search reads a chunk's head and the one or two segments the word index names — a few KB of a
/// 100 KB body.
///
/// Lives inside one database access (`Database` closure) and must be closed there.
final class LogChunkBlob {
    private let db: Database
    private var handle: OpaquePointer?
    /// The body's length in bytes.
    private(set) var length = 0
    private var buffer: [UInt8] = []

    init(_ db: Database) {
        self.db = db
    }

    /// Opens the body of chunk `id` (nil: no such chunk).
    func open(_ id: Int64) throws -> Bool {
        let code: Int32
        if let handle {
            code = sqlite3_blob_reopen(handle, id)
        } else {
            code = sqlite3_blob_open(db.sqliteConnection, "main", "logChunk", "body", id, 0, &handle)
        }
        guard code == SQLITE_OK else {
            // A missing row leaves an opened handle unusable ("aborted"), and a failed open leaves none.
            close()
            if code == SQLITE_ERROR { return false }
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "reading log chunk \(id): \(String(cString: sqlite3_errstr(code)))")
        }
        length = Int(sqlite3_blob_bytes(handle))
        return true
    }

    /// The head of the open body (line count, segment table).
    func head() throws -> LogChunkBody.Head {
        var count = min(length, 512)
        while true {
            let head = try read(0..<count) { prefix in try LogChunkBody.Head.parse(prefix, length: length) }
            if let head { return head }
            count = min(length, count * 4)
        }
    }

    /// The string table of the open body.
    func strings(_ head: LogChunkBody.Head) throws -> [String] {
        var bytes = [UInt8](repeating: 0, count: head.stringsRange.count)
        try bytes.withUnsafeMutableBytes { storage in try read(head.stringsRange, into: storage) }
        return try bytes.withUnsafeBytes { try LogChunkBody.Head.strings($0) }
    }

    /// Calls `body` with the bytes of `range` of the open body (in a buffer the next read reuses).
    func read<T>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        if buffer.count < range.count { buffer = [UInt8](repeating: 0, count: Swift.max(range.count, 2 * buffer.count)) }
        return try buffer.withUnsafeMutableBytes { storage in
            let part = UnsafeMutableRawBufferPointer(rebasing: storage[0..<range.count])
            try read(range, into: part)
            return try body(UnsafeRawBufferPointer(part))
        }
    }

    private func read(_ range: Range<Int>, into storage: UnsafeMutableRawBufferPointer) throws {
        precondition(range.lowerBound >= 0 && range.upperBound <= length && storage.count >= range.count)
        guard !range.isEmpty else { return }
        let code = sqlite3_blob_read(handle, storage.baseAddress, Int32(range.count), Int32(range.lowerBound))
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "reading a log chunk: \(String(cString: sqlite3_errstr(code)))")
        }
    }

    func close() {
        if let handle { sqlite3_blob_close(handle) }
        handle = nil
    }

    deinit {
        // `close()` is called by its user; this only guards against a thrown error skipping it.
        if let handle { sqlite3_blob_close(handle) }
    }
}
