import Crypto
import Foundation

/// Random bearer secrets (enrollment tokens, host credentials) and their stored form.
///
/// Only the SHA-256 of a secret is ever stored; the secret itself is shown once, to its owner.
public enum Secret {
    /// A new random secret: `prefix` + 64 hex digits (256 bits).
    public static func generate(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return prefix + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// The hex SHA-256 of `secret`, which is what the store keeps.
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
