import Foundation
import MarqueeTestSupport
import Testing

@testable import MarqueeCore

/// 2-of-3 splits of a 256-bit site key: any two shares rebuild it; a share is not the key.
@Suite struct ShamirTests {
    @Test func anyTwoOfThreeSharesRebuildTheKeyAndOneCannot() throws {
        var generator = SplitMix(seed: 7)
        for _ in 0..<50 {
            let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let shares = try Shamir.split(key, threshold: 2, count: 3, using: &generator)
            #expect(shares.map(\.x) == [1, 2, 3] && shares.allSatisfy { $0.y.count == 32 })
            for pair in [[0, 1], [0, 2], [1, 2], [2, 0]] {
                #expect(try Shamir.combine(pair.map { shares[$0] }) == key)
            }
            #expect(try Shamir.combine(shares) == key)
            // A share is not the key, and a tampered share rebuilds something else.
            #expect(shares.allSatisfy { $0.y != key })
            var tampered = shares[0]
            tampered.y[0] ^= 1
            #expect(try Shamir.combine([tampered, shares[1]]) != key)
        }
    }

    @Test func theFieldArithmeticIsAField() {
        // Every non-zero element has an inverse, and multiplication distributes over XOR.
        for a in 1...255 { #expect(Shamir.multiply(UInt8(a), Shamir.divide(1, UInt8(a))) == 1) }
        #expect(Shamir.multiply(0x57, 0x83) == 0xC1)  // FIPS-197's worked example
        for (a, b, c) in [(3, 7, 200), (255, 128, 1), (19, 77, 54)] as [(UInt8, UInt8, UInt8)] {
            #expect(Shamir.multiply(a, b ^ c) == Shamir.multiply(a, b) ^ Shamir.multiply(a, c))
        }
    }

    @Test func badInputIsRefused() {
        #expect(throws: Shamir.ShamirError.self) { try Shamir.split([1], threshold: 1, count: 3) }
        #expect(throws: Shamir.ShamirError.self) { try Shamir.split([1], threshold: 4, count: 3) }
        #expect(throws: Shamir.ShamirError.self) { try Shamir.split([], threshold: 2, count: 3) }
        let shares = (try? Shamir.split([1, 2, 3], threshold: 2, count: 3)) ?? []
        #expect(throws: Shamir.ShamirError.inconsistentShares) { try Shamir.combine([shares[0], shares[0]]) }
        #expect(throws: Shamir.ShamirError.self) { try Shamir.combine([shares[0]]) }
    }
}
