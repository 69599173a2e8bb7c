import Foundation

extension LogChunkBody {
    /// Reads a body's lines one at a time where SQLite keeps it (no copy): every log query reads
    /// chunks this way, and a text search scans the body first, so only lines a match falls in are
    /// tested further.
    ///
    /// It checks what ``Reader`` checks (format, bounds, table references) but keeps no header it
    /// has passed.
    struct LineWalker {
        let bytes: UnsafeRawBufferPointer
        private(set) var strings: [String] = []
        private var position = 0
        private var remaining = 0

        /// A whole body (either version).
        init(_ bytes: UnsafeRawBufferPointer) throws(LogChunkBodyError) {
            self.bytes = bytes
            let version = try LogChunkBody.version(of: bytes)
            position = 1
            if version >= 2 {
                // Line count and segment table first (``LogChunkBody/Head``), then the strings.
                remaining = try Reader.segmentTable(bytes, &position).lineCount
            }
            strings = try Reader.strings(bytes, &position)
            if version == 1 { remaining = try varint() }
        }

        /// The `count` lines of one segment: `bytes` holds just them, `strings` is the chunk's table.
        init(segment bytes: UnsafeRawBufferPointer, strings: [String], count: Int) {
            self.bytes = bytes
            self.strings = strings
            remaining = count
        }

        /// The next line's header, nil after the last.
        mutating func next() throws(LogChunkBodyError) -> Header? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            let index = try varint()
            guard position + 10 <= bytes.count else { throw LogChunkBodyError(reason: "line \(index) is cut short") }
            let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            let severity = Int(bytes[position + 8])
            let layer = Int(bytes[position + 9])
            position += 10
            guard severity < severities.count, layer < layers.count else {
                throw LogChunkBodyError(reason: "line \(index) has an unknown severity or layer")
            }
            var references = (0, 0, 0, 0, 0, 0)
            for field in 0..<6 {
                let reference = try varint() - 1
                guard reference < strings.count else { throw LogChunkBodyError(reason: "line \(index) refers past the string table") }
                switch field {
                case 0: references.0 = reference
                case 1: references.1 = reference
                case 2: references.2 = reference
                case 3: references.3 = reference
                case 4: references.4 = reference
                default: references.5 = reference
                }
            }
            guard references.0 >= 0 else { throw LogChunkBodyError(reason: "line \(index) has no source") }
            let message = try stringRange()
            return Header(
                index: index, time: Double(bitPattern: bits), severity: severities[severity], layer: layers[layer], source: references.0,
                container: references.1, runtimeInstance: references.2, tenant: references.3, app: references.4, service: references.5,
                message: message)
        }

        func string(_ position: Int) -> String? {
            position >= 0 ? strings[position] : nil
        }

        func message(_ header: Header) -> String {
            String(decoding: UnsafeRawBufferPointer(rebasing: bytes[header.message]), as: UTF8.self)
        }

        private mutating func varint() throws(LogChunkBodyError) -> Int {
            // Nearly every number here is one byte.
            if position < bytes.count, bytes[position] < 0x80 {
                defer { position += 1 }
                return Int(bytes[position])
            }
            return try Reader.varint(bytes, &position)
        }

        private mutating func stringRange() throws(LogChunkBodyError) -> Range<Int> {
            try Reader.stringRange(bytes, &position)
        }
    }
}
