import MarqueeCore
import MarqueeSim
import MarqueeTestSupport
import Testing

@Suite struct LabelIndexTests {
    @Test func indexedEvaluationAgreesWithDictionaryEvaluation() throws {
        let sites = Fixtures.fleet().sites
        let index = LabelIndex(sites.map(\.labels))
        let extra = [
            "imax = true", "imax != true", "not has(imax)", "imax not in (a, b)", "screens >= 100", "city = \"São Paulo\"",
            "country = SE and screens >= 10", "not (size = small or snackbar = kiosk)",
        ]
        for source in SelectorBenchmark.workload() + extra {
            let selector = try LabelSelector(source)
            let expected = sites.indices.filter { selector.matches(sites[$0].labels) }
            #expect(index.matchingRows(selector) == expected, "\(source)")
            #expect(index.bind(selector).matchCount() == expected.count)
        }
    }

    @Test func anEmptyIndexMatchesNothingButStillAnswers() throws {
        let index = LabelIndex([])
        #expect(index.count == 0)
        #expect(index.matchingRows(try LabelSelector("not has(x)")).isEmpty)
    }
}
