import Foundation

extension LogChunkBody {
    /// The version byte of a body, checked.
    static func version(of bytes: UnsafeRawBufferPointer) throws(LogChunkBodyError) -> UInt8 {
        try version(bytes.first)
    }

    /// A body's first byte (nil: empty), checked as its version.
    static func version(_ first: UInt8?) throws(LogChunkBodyError) -> UInt8 {
        guard let first, first == 1 || first == 2 else { throw LogChunkBodyError(reason: "unknown format \(first.map(String.init) ?? "(empty)")") }
        return first
    }

    /// The start of a version 2 body — string table, line count, segment table — which is all a
    /// read of single segments needs besides the segments' own bytes.
    struct Head: Sendable {
        var strings: [String] = []
        var lineCount = 0
        var segmentLines = 0
        /// Where each segment's first line starts in the body.
        var starts: [Int] = []
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
            guard try version(of: bytes) == 2 else { throw LogChunkBodyError(reason: "a version 1 body has no segments") }
            var head = Head(length: length)
            var position = 1
            let count = try Reader.varint(bytes, &position)
            guard count <= length else { throw LogChunkBodyError(reason: "the string table is cut short") }
            head.strings.reserveCapacity(count)
            for _ in 0..<count {
                let range = try Reader.stringRange(bytes, &position)
                head.strings.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self))
            }
            head.lineCount = try Reader.varint(bytes, &position)
            head.segmentLines = try Reader.varint(bytes, &position)
            guard head.segmentLines > 0 else { throw LogChunkBodyError(reason: "the segment table has no lines per segment") }
            let segments = (head.lineCount + head.segmentLines - 1) / head.segmentLines
            guard position + segments * 4 <= bytes.count else { throw LogChunkBodyError(reason: "the segment table is cut short") }
            let linesStart = position + segments * 4
            head.starts = (0..<segments).map { segment in
                linesStart + Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position + segment * 4, as: UInt32.self)))
            }
            guard zip(head.starts, head.starts.dropFirst()).allSatisfy(<=), head.starts.last.map({ $0 <= length }) ?? true else {
                throw LogChunkBodyError(reason: "the segment table points outside the body")
            }
            return head
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
