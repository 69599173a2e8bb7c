/// Shamir secret sharing over GF(2⁸): a site key split among a theater's hosts so that any
/// `threshold` of them rebuild it and fewer learn nothing about it.
///
/// The agents use it through ``SiteKeyShares``: each host holds its share in memory, and a host
/// that restarted rebuilds the key from two peers' shares.
public enum Shamir {
    /// One host's share: its x coordinate (1…255) and one y byte per secret byte.
    public struct Share: Sendable, Equatable, Codable {
        public var x: UInt8
        public var y: [UInt8]

        public init(x: UInt8, y: [UInt8]) {
            self.x = x
            self.y = y
        }
    }

    public enum ShamirError: Error, Equatable {
        case invalidParameters(String)
        case inconsistentShares
    }

    /// Splits `secret` into `count` shares, any `threshold` of which rebuild it.
    public static func split<R: RandomNumberGenerator>(
        _ secret: [UInt8], threshold: Int, count: Int, using generator: inout R
    ) throws(ShamirError) -> [Share] {
        guard threshold >= 2, threshold <= count, count <= 255 else {
            throw .invalidParameters("need 2 ≤ threshold ≤ count ≤ 255, got \(threshold) of \(count)")
        }
        guard !secret.isEmpty else { throw .invalidParameters("empty secret") }
        var shares = (1...count).map { Share(x: UInt8($0), y: []) }
        for byte in secret {
            // A random polynomial of degree threshold-1 whose constant term is the byte.
            let coefficients = [byte] + (1..<threshold).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for index in shares.indices {
                shares[index].y.append(evaluate(coefficients, at: shares[index].x))
            }
        }
        return shares
    }

    /// Splits with the system's random generator.
    public static func split(_ secret: [UInt8], threshold: Int, count: Int) throws(ShamirError) -> [Share] {
        var generator = SystemRandomNumberGenerator()
        return try split(secret, threshold: threshold, count: count, using: &generator)
    }

    /// Rebuilds the secret from at least `threshold` distinct shares (Lagrange interpolation at 0).
    public static func combine(_ shares: [Share]) throws(ShamirError) -> [UInt8] {
        try interpolate(shares, at: 0)
    }

    /// The polynomial through `shares` at `x`: the secret at 0, another host's share elsewhere.
    public static func interpolate(_ shares: [Share], at x: UInt8) throws(ShamirError) -> [UInt8] {
        guard shares.count >= 2, let length = shares.first?.y.count, length > 0 else { throw .invalidParameters("need two or more shares") }
        guard shares.allSatisfy({ $0.y.count == length && $0.x != 0 }), Set(shares.map(\.x)).count == shares.count else {
            throw .inconsistentShares
        }
        var secret = [UInt8](repeating: 0, count: length)
        for (i, share) in shares.enumerated() {
            // Lagrange basis at x: Π (x - x_j) / (x_i - x_j); subtraction is XOR in GF(2⁸).
            var basis: UInt8 = 1
            for (j, other) in shares.enumerated() where j != i {
                basis = multiply(basis, divide(x ^ other.x, share.x ^ other.x))
            }
            for position in 0..<length { secret[position] ^= multiply(share.y[position], basis) }
        }
        return secret
    }

    static func evaluate(_ coefficients: [UInt8], at x: UInt8) -> UInt8 {
        // Horner's rule.
        var result: UInt8 = 0
        for coefficient in coefficients.reversed() { result = multiply(result, x) ^ coefficient }
        return result
    }

    /// Multiplication in GF(2⁸) with the AES polynomial x⁸ + x⁴ + x³ + x + 1.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a
        var b = b
        var product: UInt8 = 0
        while b != 0 {
            if b & 1 != 0 { product ^= a }
            let carry = a & 0x80
            a <<= 1
            if carry != 0 { a ^= 0x1B }
            b >>= 1
        }
        return product
    }

    /// a / b for b ≠ 0: a · b²⁵⁴ (b⁻¹ = b²⁵⁴ in GF(2⁸)).
    static func divide(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var inverse: UInt8 = 1
        var base = b
        var exponent = 254
        while exponent > 0 {
            if exponent & 1 != 0 { inverse = multiply(inverse, base) }
            base = multiply(base, base)
            exponent >>= 1
        }
        return multiply(a, inverse)
    }
}
