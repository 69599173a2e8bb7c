import Foundation
import GRDB
import MarqueeCore
import Testing

@Suite struct DatabaseTimeTests {
    /// Byte for byte what GRDB stores for a `Date`, over two centuries of random instants, at
    /// millisecond boundaries, just below them, on half milliseconds before 1970 (ICU rounds them
    /// up), and around leap days and year ends.
    @Test func isExactlyGRDBsText() {
        var generator = SplitMix(seed: 0x0DA7_E5EE_D000_0001)
        var dates: [Date] = (0..<100_000).map { _ in
            Date(timeIntervalSince1970: Double.random(in: -2_000_000_000...4_200_000_000, using: &generator))
        }
        let edges: [Double] = [
            0, -0.0005, 0.9995, 0.9999999, 951_782_400, 951_868_799.999, 951_868_800, 1_709_164_799.9996, 4_102_444_799.999,
            -2_208_988_800, 1_764_300_000.123, 1_764_300_000.1235, 1_764_300_000.9999, -1_216_688_003.5235, -313_694_667.2925,
        ]
        dates += edges.map(Date.init(timeIntervalSince1970:))
        dates += (0..<2_000).map { Date(timeIntervalSince1970: 1_764_300_000 + Double($0) * 0.0001) }
        for date in dates {
            let expected = String.fromDatabaseValue(date.databaseValue)
            #expect(DatabaseTime.text(date) == expected, "\(date.timeIntervalSince1970)")
        }
    }
}
