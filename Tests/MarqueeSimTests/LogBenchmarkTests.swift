import Foundation
import MarqueeCore
import MarqueeSim
import Testing

/// The log benchmark's run, smaller: real heartbeats into a real SQLite file and `grep -F` over the
/// same lines; every search answers what grep counts (the run throws otherwise), each through the
/// index it is meant to show.
@Suite struct LogBenchmarkTests {
    @Test func everySearchAnswersWhatGrepCountsThroughItsIndex() async throws {
        let result = try await LogBenchmark(lines: 20_000, theaters: 10).run()
        #expect(result.lines == 20_000 && result.ingestLinesPerSecond > 0)
        let how = Dictionary(uniqueKeysWithValues: result.searches.map { ($0.text, ($0.usesWordIndex, $0.usesSuffixIndex, $0.matches)) })
        #expect(how["req=9f3c2a7be41d0c55"]! == (true, false, 1))
        #expect(how["9f3c2a7be41d0c55"]! == (false, true, 1))
        #expect(how["c2a7be41d0c"]! == (false, true, 1))
        #expect(how["c2a7be41d"].map { !$0.0 && !$0.1 && $0.2 >= 1 } == true)  // too short: read newest first
        #expect(how["RT throttling activated"].map { $0.0 && $0.2 > 100 } == true)
    }
}
