import Foundation
import MarqueeCore

/// Measures label-selector compilation and evaluation against a generated fleet.
///
/// The workload is placement's: 100 applications' selectors, each evaluated against every site.
public struct SelectorBenchmark: Sendable {
    /// Timing of one evaluation strategy over all iterations.
    public struct Timing: Codable, Sendable, Equatable {
        /// Per-iteration time to evaluate all selectors against all sites, in milliseconds.
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        public var minMilliseconds: Double
        /// Median nanoseconds per single (selector, site) evaluation.
        public var nanosecondsPerEvaluation: Double
    }

    /// Figures from one run.
    public struct Result: Codable, Sendable, Equatable {
        public var selectors: Int
        public var sites: Int
        public var iterations: Int
        /// Evaluations per iteration (selectors × sites).
        public var evaluationsPerIteration: Int
        /// Time to parse and compile all selectors once, in microseconds.
        public var compileMicroseconds: Double
        /// Time to build the ``LabelIndex`` over all sites once, in microseconds.
        public var indexBuildMicroseconds: Double
        /// `LabelSelector.matches` on each site's label dictionary.
        public var dictionary: Timing
        /// Binding each selector to the index and scanning it (binding included in every iteration).
        public var indexed: Timing
        /// Sites matched per iteration (the same for both strategies; shows the work is real).
        public var matches: Int
    }

    public let sites: [Site]
    public let iterations: Int

    public init(sites: [Site], iterations: Int = 200) {
        self.sites = sites
        self.iterations = iterations
    }

    /// 100 realistic placement selectors, varied across the fleet's labels.
    public static func workload() -> [String] {
        let countries = WorldCatalog.countries.map(\.code)
        let regions = Array(Set(WorldCatalog.countries.map(\.region))).sorted()
        var selectors: [String] = []
        for index in 0..<100 {
            let country = countries[index % countries.count]
            let other = countries[(index * 7 + 3) % countries.count]
            let region = regions[index % regions.count]
            let screens = 4 + (index * 3) % 20
            switch index % 10 {
            case 0: selectors.append("country = \(country)")
            case 1: selectors.append("country = \(country) and screens >= \(screens)")
            case 2: selectors.append("region = \(region) and size in (medium, large)")
            case 3: selectors.append("country in (\(country), \(other)) and snackbar != kiosk")
            case 4: selectors.append("(region = \(region) or country = \(other)) and not size = small")
            case 5: selectors.append("screens > \(screens) and screens <= \(screens + 10)")
            case 6: selectors.append("has(snackbar) and snackbar in (standard, large) and country not in (\(country))")
            case 7: selectors.append("size = large or (size = medium and screens >= 12)")
            case 8: selectors.append("region in (nordics, central-europe) and country != \(country)")
            default: selectors.append("not (country = \(country)) and region = \(region) and screens < 20")
            }
        }
        return selectors
    }

    /// Runs the benchmark.
    ///
    /// - Throws: ``SelectorError`` if a workload selector does not parse (a bug in the workload).
    public func run(progress: (Int, Int) -> Void = { _, _ in }) throws -> Result {
        let clock = ContinuousClock()
        let sources = Self.workload()
        var compiled: [LabelSelector] = []
        let compileTime = try clock.measure {
            compiled = try sources.map { try LabelSelector($0) }
        }
        let labels = sites.map(\.labels)
        var index = LabelIndex([])
        let indexTime = clock.measure { index = LabelIndex(labels) }

        var dictionarySamples: [Double] = []
        var indexedSamples: [Double] = []
        var dictionaryMatches = 0
        var indexedMatches = 0
        for iteration in 0..<iterations {
            var count = 0
            dictionarySamples.append(
                clock.measure {
                    for selector in compiled {
                        for siteLabels in labels where selector.matches(siteLabels) { count += 1 }
                    }
                }.milliseconds)
            dictionaryMatches = count
            count = 0
            indexedSamples.append(
                clock.measure {
                    for selector in compiled { count += index.bind(selector).matchCount() }
                }.milliseconds)
            indexedMatches = count
            if iteration % 20 == 0 || iteration == iterations - 1 { progress(iteration + 1, iterations) }
        }
        precondition(dictionaryMatches == indexedMatches, "indexed and dictionary evaluation disagree")
        let evaluations = compiled.count * sites.count
        return Result(
            selectors: compiled.count, sites: sites.count, iterations: iterations, evaluationsPerIteration: evaluations,
            compileMicroseconds: compileTime.milliseconds * 1_000, indexBuildMicroseconds: indexTime.milliseconds * 1_000,
            dictionary: Self.timing(dictionarySamples, evaluations: evaluations),
            indexed: Self.timing(indexedSamples, evaluations: evaluations), matches: indexedMatches)
    }

    private static func timing(_ samples: [Double], evaluations: Int) -> Timing {
        let sorted = samples.sorted()
        let p50 = sorted[sorted.count / 2]
        return Timing(
            p50Milliseconds: p50, p99Milliseconds: sorted[min(sorted.count - 1, sorted.count * 99 / 100)], minMilliseconds: sorted[0],
            nanosecondsPerEvaluation: p50 * 1_000_000 / Double(max(1, evaluations)))
    }
}

extension Duration {
    /// The duration in milliseconds, as a fraction.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }
}
