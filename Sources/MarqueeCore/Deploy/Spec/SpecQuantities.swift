import Foundation

/// Parsers for the spec language's units: durations (`90s`, `5m`, `1h30m`), CPU (`250m`, `2`)
/// and bytes (`256Mi`, `1Gi`, `500M`).
public enum SpecQuantities {
    /// Seconds from `1h30m`, `45s`, `2d`; a bare number is seconds.
    static func duration(_ text: String) throws(SpecValueError) -> TimeInterval {
        if let seconds = Int(text), seconds >= 0 { return TimeInterval(seconds) }
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        var total = 0
        var digits = ""
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let value = Int(digits) {
                total += value * unit
                digits = ""
            } else {
                throw SpecValueError("expected a duration such as `30s`, `5m` or `1h30m`, found `\(text)`")
            }
        }
        guard digits.isEmpty, !text.isEmpty else {
            throw SpecValueError("expected a duration such as `30s`, `5m` or `1h30m`, found `\(text)` (a number needs a unit)")
        }
        return TimeInterval(total)
    }

    /// CPU cores from `250m` (millicores) or `1.5`.
    public static func cpu(_ text: String) throws(SpecValueError) -> Double {
        let value: Double? = text.hasSuffix("m") ? Double(text.dropLast()).map { $0 / 1_000 } : Double(text)
        guard let value, value > 0, value <= 256 else {
            throw SpecValueError("expected CPU cores such as `250m` or `1.5` (more than 0, at most 256), found `\(text)`")
        }
        return value
    }

    /// Bytes from `256Mi`, `2Gi`, `500M`, `1G`, `64Ki` or a plain number.
    public static func bytes(_ text: String) throws(SpecValueError) -> Int64 {
        let suffixes: [(String, Double)] = [
            ("Ki", 1_024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
            ("k", 1_000), ("K", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000),
        ]
        for (suffix, factor) in suffixes where text.hasSuffix(suffix) {
            if let number = Double(text.dropLast(suffix.count)), number > 0 { return Int64(number * factor) }
        }
        if let number = Int64(text), number > 0 { return number }
        throw SpecValueError("expected a size such as `256Mi`, `2Gi` or `500M`, found `\(text)`")
    }

    /// A TCP port 1…65535.
    static func port(_ text: String) throws(SpecValueError) -> Int {
        guard let port = Int(text), (1...65_535).contains(port) else {
            throw SpecValueError("expected a port number 1…65535, found `\(text)`")
        }
        return port
    }
}
