import Crypto
import Foundation

/// Random bearer secrets (enrollment tokens, host credentials) and their stored form.
///
/// Only the SHA-256 of a secret is ever stored; the secret itself is shown once, to its owner.
public enum Secret {
    /// A new random secret: `prefix` + 64 hex digits (256 bits).
    public static func generate(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The hex SHA-256 of `secret`, which is what the store keeps (computed on every heartbeat).
    public static func hash(_ secret: String) -> String {
        hex(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Lower-case hex without `String(format:)`, which is slow on Linux.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
