import Foundation

extension LogChunkBody {
    /// The version byte of a body, checked.
    static func version(of bytes: UnsafeRawBufferPointer) throws(LogChunkBodyError) -> UInt8 {
        try version(bytes.first)
    }

    /// A body's first byte (nil: empty), checked as its version.
    static func version(_ first: UInt8?) throws(LogChunkBodyError) -> UInt8 {
        guard let first, (1...3).contains(first) else { throw LogChunkBodyError(reason: "unknown format \(first.map(String.init) ?? "(empty)")") }
        return first
    }

    /// The start of a version 2 or 3 body — line count and segment table — which with the string table
    /// (``LogChunkBody/Head/strings(_:)``, read only once a segment holds a match) is all a read of
    /// single segments needs besides the segments' own bytes.
    struct Head: Sendable {
        var lineCount = 0
        var segmentLines = 0
        /// Where each segment's first line starts in the body.
        var starts: [Int] = []
        /// Where the string table starts (it ends where the first segment starts).
        var stringsStart = 0
        /// The body's length.
        var length: Int

        /// The head read from the first bytes of a body `length` long; nil when `prefix` ends
        /// before the head does (read more and ask again).
        static func parse(_ prefix: UnsafeRawBufferPointer, length: Int) throws(LogChunkBodyError) -> Head? {
            do {
                return try read(prefix, length: length)
            } catch {
                if prefix.count < length { return nil }
                throw error
            }
        }

        private static func read(_ bytes: UnsafeRawBufferPointer, length: Int) throws(LogChunkBodyError) -> Head {
            guard try version(of: bytes) >= 2 else { throw LogChunkBodyError(reason: "a version 1 body has no segments") }
            var head = Head(length: length)
            var position = 1
            let (lineCount, segmentLines, offsets) = try Reader.segmentTable(bytes, &position)
            (head.lineCount, head.segmentLines, head.stringsStart) = (lineCount, segmentLines, position)
            head.starts = (0..<(position - offsets) / 4).map { segment in
                Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offsets + segment * 4, as: UInt32.self)))
            }
            let bounds = [head.stringsStart] + head.starts + [length]
            guard zip(bounds, bounds.dropFirst()).allSatisfy(<=) else { throw LogChunkBodyError(reason: "the segment table points outside the body") }
            return head
        }

        /// The bytes of the string table.
        var stringsRange: Range<Int> {
            stringsStart..<(starts.first ?? length)
        }

        /// The string table, from its bytes (``stringsRange``).
        static func strings(_ bytes: UnsafeRawBufferPointer) throws(LogChunkBodyError) -> [String] {
            var position = 0
            return try Reader.strings(bytes, &position)
        }

        /// The bytes of one segment's lines.
        func range(of segment: Int) -> Range<Int> {
            starts[segment]..<(segment + 1 < starts.count ? starts[segment + 1] : length)
        }

        /// How many lines a segment holds.
        func lines(in segment: Int) -> Int {
            min(segmentLines, lineCount - segment * segmentLines)
        }
    }
}
