import Foundation

/// A mergeable latency distribution with bounded relative error on every quantile (DDSketch).
///
/// Values (milliseconds) fall into buckets that are narrow in relative terms: each spans at most a
/// factor `γ = (1 + α) / (1 − α)`, so the value reported for a bucket (the harmonic mean of its
/// edges) is within `α` (here 1 %) of every value in it. The bucket index is a piecewise-linear
/// approximation of the logarithm read straight from the IEEE-754 bits — `e + s` for
/// `v = 2^e · (1 + s)` — scaled by `1 / ln γ`; that scale keeps every bucket within `γ` (see
/// `docs/architecture.md`) for about 44 % more buckets than an exact logarithm, and recording costs
/// a few integer and floating-point operations instead of a call to `log`.
///
/// Buckets are kept in a dense array over the occupied index range and encoded sparsely
/// (``encoded()``: occupied buckets only, varint deltas), so a minute of one container's samples
/// takes a few dozen bytes. Merging adds counts bucket by bucket: an exact union, associative and
/// commutative.
///
/// ```swift
/// var sketch = LatencySketch()
/// sketch.record(12.5)
/// sketch.merge(other)
/// let p99 = sketch.quantile(0.99)
/// ```
public struct LatencySketch: Sendable, Equatable {
    /// Relative accuracy of every quantile.
    public static let relativeAccuracy = 0.01
    static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    /// Buckets per unit of the approximate base-2 logarithm.
    static let multiplier = 1 / Foundation.log(gamma)
    /// Values at or below this (milliseconds) count as zero: a microsecond is below any probe's resolution.
    public static let minimumValue = 0.001

    /// Counts for bucket indexes `offset ..< offset + bins.count`.
    private var bins: [UInt64] = []
    private var offset: Int32 = 0
    /// Values at or below ``minimumValue``.
    public private(set) var zeroCount: UInt64 = 0
    /// Number of recorded values.
    public private(set) var count: UInt64 = 0
    public private(set) var sum: Double = 0
    public private(set) var min: Double = .infinity
    public private(set) var max: Double = -.infinity

    public init() {}

    /// Whether nothing has been recorded.
    public var isEmpty: Bool { count == 0 }

    /// Mean of the recorded values (0 when empty).
    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// The bucket index of a positive normal value: `ceil((e + s) · multiplier)` for `v = 2^e · (1 + s)`.
    @inline(__always)
    static func index(of value: Double) -> Int32 {
        let bits = value.bitPattern
        let exponent = Double(Int64((bits >> 52) & 0x7ff) - 1_023)
        let significand = Double(bitPattern: (bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000) - 1
        let scaled = (exponent + significand) * multiplier
        // ceil without a libm call: truncate toward zero, then step up past a fraction.
        let truncated = Int32(scaled)
        return Double(truncated) < scaled ? truncated + 1 : truncated
    }

    /// The value whose approximate logarithm is `x` (the inverse of the index mapping).
    static func inverse(_ x: Double) -> Double {
        let exponent = x.rounded(.down)
        return Double(sign: .plus, exponent: Int(exponent), significand: 1 + (x - exponent))
    }

    /// The value reported for bucket `index`: the harmonic mean of its edges, within
    /// ``relativeAccuracy`` of every value in it.
    static func value(of index: Int32) -> Double {
        let low = inverse(Double(index - 1) / multiplier)
        let high = inverse(Double(index) / multiplier)
        return 2 * low * high / (low + high)
    }

    /// Records one value in milliseconds (negative values count as zero).
    public mutating func record(_ value: Double) {
        record(value, times: 1)
    }

    /// Records `value` `times` times.
    public mutating func record(_ value: Double, times: UInt64) {
        guard times > 0 else { return }
        count += times
        sum += value * Double(times)
        if value < min { min = value }
        if value > max { max = value }
        guard value > Self.minimumValue else {
            zeroCount += times
            return
        }
        add(times, at: Self.index(of: value))
    }

    @inline(__always)
    private mutating func add(_ times: UInt64, at index: Int32) {
        if bins.isEmpty {
            offset = index
            bins = [times]
            return
        }
        if index < offset {
            bins.insert(contentsOf: repeatElement(0, count: Int(offset - index)), at: 0)
            offset = index
        } else if Int(index - offset) >= bins.count {
            bins.append(contentsOf: repeatElement(0, count: Int(index - offset) - bins.count + 1))
        }
        bins[Int(index - offset)] &+= times
    }

    /// Adds every value of `other` (an exact union).
    public mutating func merge(_ other: LatencySketch) {
        guard other.count > 0 else { return }
        count += other.count
        sum += other.sum
        zeroCount += other.zeroCount
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        guard !other.bins.isEmpty else { return }
        if bins.isEmpty {
            bins = other.bins
            offset = other.offset
            return
        }
        // Grow once to cover both ranges, then add.
        let low = Swift.min(offset, other.offset)
        let high = Swift.max(offset + Int32(bins.count), other.offset + Int32(other.bins.count))
        if low < offset { bins.insert(contentsOf: repeatElement(0, count: Int(offset - low)), at: 0) }
        offset = low
        if Int(high - low) > bins.count { bins.append(contentsOf: repeatElement(0, count: Int(high - low) - bins.count)) }
        let shift = Int(other.offset - offset)
        for (position, value) in other.bins.enumerated() where value != 0 { bins[shift + position] &+= value }
    }

    /// The union of `sketches`.
    public static func merged<S: Sequence>(_ sketches: S) -> LatencySketch where S.Element == LatencySketch {
        var result = LatencySketch()
        for sketch in sketches { result.merge(sketch) }
        return result
    }

    /// The value at quantile `q` (0…1), within 1 % of the exact one; nil when empty.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        if q <= 0 { return min }
        if q >= 1 { return max }
        // The rank (0-based) of the requested value, as in the DDSketch paper.
        let rank = UInt64((q * Double(count - 1)).rounded(.down))
        if rank < zeroCount { return Swift.max(min, 0) }
        var seen = zeroCount
        for (position, value) in bins.enumerated() where value != 0 {
            seen += value
            if seen > rank {
                // Clamp to what was actually seen, which can only reduce the error.
                return Swift.min(Swift.max(Self.value(of: offset + Int32(position)), min), max)
            }
        }
        return max
    }

    /// Rebuilds a sketch from its parts (decoding).
    init(buckets: [(index: Int32, count: UInt64)], zeroCount: UInt64, count: UInt64, sum: Double, min: Double, max: Double) {
        for bucket in buckets { add(bucket.count, at: bucket.index) }
        self.zeroCount = zeroCount
        self.count = count
        self.sum = sum
        self.min = min
        self.max = max
    }

    /// Occupied buckets as (index, count), ascending.
    var occupiedBuckets: [(index: Int32, count: UInt64)] {
        bins.enumerated().compactMap { $0.element == 0 ? nil : (offset + Int32($0.offset), $0.element) }
    }

    /// Bytes held in memory by the bucket array.
    public var memoryBytes: Int { bins.capacity * MemoryLayout<UInt64>.stride + MemoryLayout<Self>.stride }
}
