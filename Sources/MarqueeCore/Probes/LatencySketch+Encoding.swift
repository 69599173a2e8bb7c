import Foundation

/// A stored sketch that cannot be read back.
public struct SketchDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

extension LatencySketch {
    static let encodingVersion: UInt8 = 2

    /// The compact form stored per series and minute: a version byte, count, zero count, sum,
    /// min and max, then only the occupied buckets. Each is `varint(count << 1 | gap)`, followed
    /// by `varint(zigzag(index delta))` only when `gap` is set — a run of adjacent buckets (the
    /// body of a distribution) costs one or two bytes per bucket.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = [Self.encodingVersion]
        bytes.reserveCapacity(48)
        Varint.append(count, to: &bytes)
        Varint.append(zeroCount, to: &bytes)
        for value in [sum, count == 0 ? 0 : min, count == 0 ? 0 : max] {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        let buckets = occupiedBuckets
        Varint.append(UInt64(buckets.count), to: &bytes)
        var previous: Int32?
        for bucket in buckets {
            let adjacent = previous.map { bucket.index == $0 + 1 } ?? false
            Varint.append(bucket.count << 1 | (adjacent ? 0 : 1), to: &bytes)
            if !adjacent { Varint.append(Varint.zigzag(Int64(bucket.index) - Int64(previous ?? 0)), to: &bytes) }
            previous = bucket.index
        }
        return bytes
    }

    /// Reads a sketch written by ``encoded()``.
    public init(decoding bytes: some Collection<UInt8>) throws(SketchDecodingError) {
        var reader = Varint.Reader(Array(bytes))
        guard let version = reader.byte(), version == Self.encodingVersion else {
            throw SketchDecodingError(description: "unknown latency sketch encoding")
        }
        guard let count = reader.varint(), let zeroCount = reader.varint(), let sum = reader.double(), let min = reader.double(),
            let max = reader.double(), let occupied = reader.varint(), occupied <= UInt64(reader.remaining)
        else { throw SketchDecodingError(description: "truncated latency sketch") }
        var buckets: [(index: Int32, count: UInt64)] = []
        buckets.reserveCapacity(Int(occupied))
        var index: Int64 = 0
        var total = zeroCount
        for _ in 0..<occupied {
            guard let word = reader.varint() else { throw SketchDecodingError(description: "truncated latency sketch") }
            let bucketCount = word >> 1
            if word & 1 == 1 {
                guard let delta = reader.varint() else { throw SketchDecodingError(description: "truncated latency sketch") }
                index += Varint.unzigzag(delta)
            } else {
                index += 1
            }
            guard let narrow = Int32(exactly: index) else { throw SketchDecodingError(description: "latency sketch bucket out of range") }
            buckets.append((narrow, bucketCount))
            total &+= bucketCount
        }
        guard total == count else {
            throw SketchDecodingError(description: "latency sketch counts disagree (\(total) in buckets, \(count) recorded)")
        }
        self.init(
            buckets: buckets, zeroCount: zeroCount, count: count, sum: sum, min: count == 0 ? .infinity : min, max: count == 0 ? -.infinity : max)
    }
}

/// LEB128 unsigned varints and zigzag signed ones.
enum Varint {
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
    static func unzigzag(_ value: UInt64) -> Int64 { Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1) }

    struct Reader {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var remaining: Int { bytes.count - position }

        mutating func byte() -> UInt8? {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        mutating func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while let byte = byte() {
                guard shift < 64 else { return nil }
                result |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
            return nil
        }

        mutating func double() -> Double? {
            guard remaining >= 8 else { return nil }
            var bits: UInt64 = 0
            for shift in 0..<8 { bits |= UInt64(bytes[position + shift]) << (8 * UInt64(shift)) }
            position += 8
            return Double(bitPattern: bits)
        }
    }
}
