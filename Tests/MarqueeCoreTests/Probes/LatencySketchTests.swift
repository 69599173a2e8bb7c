import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

@Suite struct LatencySketchTests {
    /// Deterministic skewed latencies: a log-normal body with a Pareto tail (timeouts, GC pauses).
    static func skewed(_ count: Int, seed: UInt64) -> [Double] {
        var random = SplitMix(seed: seed)
        return (0..<count).map { _ in
            let u1 = max(random.unit(), 1e-12)
            let u2 = random.unit()
            let normal = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
            if random.unit() < 0.03 { return 200 / pow(max(random.unit(), 1e-9), 1 / 1.5) }  // Pareto tail from 200 ms
            return exp(3 + 0.6 * normal)  // median ~20 ms
        }
    }

    static func exact(_ sorted: [Double], _ q: Double) -> Double {
        sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
    }

    @Test(arguments: [1 as UInt64, 2, 3])
    func everyQuantileIsWithinOnePercentOnSkewedData(seed: UInt64) throws {
        let values = Self.skewed(50_000, seed: seed)
        var sketch = LatencySketch()
        for value in values { sketch.record(value) }
        let sorted = values.sorted()
        for q in [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999] {
            let expected = Self.exact(sorted, q)
            let answer = try #require(sketch.quantile(q))
            #expect(abs(answer - expected) / expected <= LatencySketch.relativeAccuracy + 1e-12, "q=\(q): \(answer) vs \(expected)")
        }
        #expect(sketch.count == 50_000 && sketch.quantile(0) == sorted.first && sketch.quantile(1) == sorted.last)
    }

    @Test func mergingIsAnExactUnionAndAssociative() throws {
        let parts = [Self.skewed(3_000, seed: 7), Self.skewed(5_000, seed: 8), Self.skewed(1, seed: 9), [0, 0.0005, 1e5]]
        let sketches = parts.map { values in
            var sketch = LatencySketch()
            for value in values { sketch.record(value) }
            return sketch
        }
        var whole = LatencySketch()
        for value in parts.joined() { whole.record(value) }
        var left = sketches[0]
        left.merge(sketches[1])
        left.merge(sketches[2])
        left.merge(sketches[3])
        var right = sketches[3]
        var inner = sketches[1]
        inner.merge(sketches[2])
        right.merge(inner)
        right.merge(sketches[0])
        // Buckets, counts, min and max agree exactly; sums up to floating-point order.
        #expect(left.encodedWithoutSum == whole.encodedWithoutSum)
        #expect(right.encodedWithoutSum == whole.encodedWithoutSum)
        #expect(abs(left.sum - whole.sum) < 1e-6 * whole.sum)
        for q in [0.5, 0.95, 0.99] { #expect(left.quantile(q) == whole.quantile(q)) }
        #expect(LatencySketch.merged([]).isEmpty && LatencySketch.merged([]).quantile(0.5) == nil)
    }

    @Test func theCompactFormRoundTripsAndStaysSmall() throws {
        var sketch = LatencySketch()
        for value in Self.skewed(6, seed: 4) { sketch.record(value) }
        let bytes = sketch.encoded()
        #expect(try LatencySketch(decoding: bytes) == sketch)
        #expect(bytes.count < 64, "a minute of one container's samples: \(bytes.count) bytes")
        var busy = LatencySketch()
        for value in Self.skewed(100_000, seed: 5) { busy.record(value) }
        #expect(try LatencySketch(decoding: busy.encoded()) == busy)
        #expect(busy.encoded().count <= 1_024, "a fleet-wide minute: \(busy.encoded().count) bytes")
        #expect(try LatencySketch(decoding: LatencySketch().encoded()).isEmpty)
    }

    @Test func damagedBytesAreRejectedNotMisread() {
        var sketch = LatencySketch()
        for value in [1.0, 2, 3, 400] { sketch.record(value) }
        let bytes = sketch.encoded()
        #expect(throws: SketchDecodingError.self) { try LatencySketch(decoding: bytes.dropLast()) }
        #expect(throws: SketchDecodingError.self) { try LatencySketch(decoding: [9] + bytes.dropFirst()) }
        var wrongCount = bytes
        wrongCount[1] = 5
        #expect(throws: SketchDecodingError.self) { try LatencySketch(decoding: wrongCount) }
    }
}

extension LatencySketch {
    /// The encoding with the sum zeroed (sums differ in the last bits with the order of addition).
    fileprivate var encodedWithoutSum: [UInt8] {
        var bytes = encoded()
        // version, count varint, zero-count varint, then the 8 bytes of the sum.
        var position = 1
        for _ in 0..<2 {
            while bytes[position] & 0x80 != 0 { position += 1 }
            position += 1
        }
        for index in position..<(position + 8) { bytes[index] = 0 }
        return bytes
    }
}

/// A small deterministic generator for test data (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
