import Foundation

extension LogChunkBody {
    /// The header of one stored line: everything but the message, which stays bytes until asked for.
    public struct Header: Sendable {
        public var index: Int
        public var time: Double
        public var severity: LogSeverity
        public var layer: LogLayer
        /// String-table positions (`-1` for none).
        var source: Int
        var container: Int
        var runtimeInstance: Int
        var tenant: Int
        var app: Int
        var service: Int
        /// Where the message's UTF-8 lies in the body.
        var message: Range<Int>
    }

    /// A decoded chunk: its string table and line headers over the body's bytes.
    public struct Reader: Sendable {
        public let bytes: [UInt8]
        public private(set) var strings: [String] = []
        public private(set) var headers: [Header] = []
        /// 1 (one word-index document per chunk), 2 (one per segment) or 3 (one per segment, and
        /// one in the suffix index: ``LogWordSuffixes``).
        public let version: UInt8
        /// Lines per segment (versions 2 and 3), else nil.
        public private(set) var segmentLines: Int?

        public init(_ bytes: [UInt8]) throws(LogChunkBodyError) {
            self.bytes = bytes
            var position = 0
            version = try LogChunkBody.version(bytes.first)
            position = 1
            var lineCount = 0
            if version >= 2 {
                // Line count and segment table first (``LogChunkBody/Head``), then the strings.
                (lineCount, segmentLines, _) = try Self.segmentTable(bytes, &position)
            }
            strings = try Self.strings(bytes, &position)
            let stringCount = strings.count
            if version == 1 { lineCount = try Self.varint(bytes, &position) }
            headers.reserveCapacity(lineCount)
            for _ in 0..<lineCount {
                let index = try Self.varint(bytes, &position)
                guard position + 10 <= bytes.count else { throw LogChunkBodyError(reason: "line \(index) is cut short") }
                var bits: UInt64 = 0
                for offset in 0..<8 { bits |= UInt64(bytes[position + offset]) << (8 * offset) }
                position += 8
                let severity = Int(bytes[position])
                let layer = Int(bytes[position + 1])
                position += 2
                guard severity < severities.count, layer < layers.count else {
                    throw LogChunkBodyError(reason: "line \(index) has an unknown severity or layer")
                }
                func reference() throws(LogChunkBodyError) -> Int {
                    let reference = try Self.varint(bytes, &position) - 1
                    guard reference < stringCount else { throw LogChunkBodyError(reason: "line \(index) refers past the string table") }
                    return reference
                }
                let source = try reference()
                let container = try reference()
                let runtimeInstance = try reference()
                let tenant = try reference()
                let app = try reference()
                let service = try reference()
                guard source >= 0 else { throw LogChunkBodyError(reason: "line \(index) has no source") }
                let message = try Self.stringRange(bytes, &position)
                headers.append(
                    Header(
                        index: index, time: Double(bitPattern: bits), severity: severities[severity], layer: layers[layer], source: source,
                        container: container, runtimeInstance: runtimeInstance, tenant: tenant, app: app, service: service, message: message))
            }
        }

        /// What the word index holds for the chunk: one document per segment (version 2, row id
        /// `chunkID << segmentBits | segment`) or one for the whole chunk (version 1, row id `chunkID`).
        public var documents: [String] {
            let size = segmentLines ?? max(1, headers.count)
            return stride(from: 0, to: headers.count, by: size).map { start in
                var document = ""
                for header in headers[start..<min(start + size, headers.count)] { LogChunkBody.appendToDocument(message(header), &document) }
                return document
            }
        }

        /// The string at a table position, nil for `-1`.
        public func string(_ position: Int) -> String? {
            position >= 0 ? strings[position] : nil
        }

        public func message(_ header: Header) -> String {
            String(decoding: bytes[header.message], as: UTF8.self)
        }

        public func container(_ header: Header) -> String? { string(header.container) }

        /// The full line back, for rewriting a trimmed chunk.
        public func line(_ header: Header) -> Line {
            Line(
                index: header.index, time: header.time, severity: header.severity, layer: header.layer, source: strings[header.source],
                message: message(header), container: string(header.container), runtimeInstance: string(header.runtimeInstance),
                tenant: string(header.tenant), app: string(header.app), service: string(header.service))
        }

        static func varint<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ position: inout Int) throws(LogChunkBodyError) -> Int
        where Bytes.Index == Int {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while position < bytes.count, shift < 63 {
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte < 0x80 {
                    guard value <= UInt64(Int.max) else { break }
                    return Int(value)
                }
                shift += 7
            }
            throw LogChunkBodyError(reason: "a number at byte \(position) is cut short")
        }

        /// A string table at `position`: count, then each string as length + UTF-8.
        static func strings<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ position: inout Int) throws(LogChunkBodyError) -> [String]
        where Bytes.Index == Int {
            let count = try varint(bytes, &position)
            guard count <= bytes.count else { throw LogChunkBodyError(reason: "the string table is cut short") }
            var strings: [String] = []
            strings.reserveCapacity(count)
            for _ in 0..<count {
                let range = try stringRange(bytes, &position)
                strings.append(String(decoding: bytes[range], as: UTF8.self))
            }
            return strings
        }

        /// A version 2 body's line count, lines per segment and where its segment offsets start,
        /// read from just after the version byte; `position` ends past the offsets.
        static func segmentTable<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ position: inout Int) throws(LogChunkBodyError)
            -> (lineCount: Int, segmentLines: Int, offsets: Int)
        where Bytes.Index == Int {
            let lineCount = try varint(bytes, &position)
            let segmentLines = try varint(bytes, &position)
            guard segmentLines > 0 else { throw LogChunkBodyError(reason: "the segment table has no lines per segment") }
            let segments = (lineCount + segmentLines - 1) / segmentLines
            guard segments <= bytes.count / 4, position + segments * 4 <= bytes.count else {
                throw LogChunkBodyError(reason: "the segment table is cut short")
            }
            defer { position += segments * 4 }
            return (lineCount, segmentLines, position)
        }

        static func stringRange<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ position: inout Int) throws(LogChunkBodyError)
            -> Range<Int>
        where Bytes.Index == Int {
            let length = try varint(bytes, &position)
            guard length <= bytes.count - position else { throw LogChunkBodyError(reason: "a string at byte \(position) is cut short") }
            defer { position += length }
            return position..<(position + length)
        }
    }
}
