import Foundation
import MarqueeCore
import Testing

@testable import MarqueeTower

/// The formatter-free date reader agrees with `Date.ISO8601FormatStyle` wherever it answers, and
/// leaves every other shape to it.
@Suite struct ISO8601InstantTests {
    @Test func agreesWithTheFormatterOnRandomInstants() throws {
        var generator = SystemRandomNumberGenerator()
        // 1900-01-01 to 9999-12-31, whole seconds, plus the days around every leap-year rule.
        var instants = (0..<20_000).map { _ in
            Date(timeIntervalSince1970: TimeInterval(Int64.random(in: -2_208_988_800...253_402_300_799, using: &generator)))
        }
        for text in ["2000-02-29T00:00:00Z", "1900-02-28T23:59:59Z", "2024-02-29T12:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z"] {
            instants.append(try Date.ISO8601FormatStyle().parse(text))
        }
        let format = Date.ISO8601FormatStyle()
        for instant in instants {
            let text = format.format(instant)
            let parsed = ISO8601Instant.parse(text)
            #expect(parsed == (try format.parse(text)), "\(text)")
            #expect(parsed != nil, "\(text) is the plain form and must not need the formatter")
        }
    }

    @Test func leavesOtherShapesToTheFormatter() {
        for text in [
            "2026-11-28T17:30:00.250Z", "2026-11-28T17:30:00+01:00", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-28T24:00:00Z", "2026-11-28T23:60:00Z",
            "2026-11-28T23:59:60Z", "1899-12-31T23:59:59Z", "2026-11-28 17:30:00Z", "2026-11-28T17:30:00z", "2026-1a-28T17:30:00Z",
            "+2026-11-28T17:30:00Z", "2026-11-28T17:30:00", "",
        ] {
            #expect(ISO8601Instant.parse(text) == nil, "\(text)")
        }
    }

    /// The reader answers as the formatter does for every shape: the fast form, the forms only the
    /// formatter reads (it rolls 30 February over to March, as `JSONDecoder` always did), and the
    /// ones it refuses.
    @Test func theReaderAnswersAsTheFormatterDoes() throws {
        func createdAt(_ text: String) throws -> Date? {
            let json = #"{"batches":[{"sequence":1,"createdAt":"\#(text)","records":[]}]}"#
            return try Array(json.utf8).withUnsafeBytes { try HeartbeatBody.read($0) }.batches.first?.createdAt
        }
        for text in ["2026-11-28T17:30:00Z", "2026-02-30T00:00:00Z", "2026-11-28T17:30:00+01:00"] {
            #expect(try createdAt(text) == (try Date.ISO8601FormatStyle().parse(text)), "\(text)")
        }
        for text in ["yesterday", "2026-11-28T17:30:00", "2026-11-28"] {
            #expect(throws: JSONReader.Problem.self, "\(text)") { try createdAt(text) }
        }
    }
}
