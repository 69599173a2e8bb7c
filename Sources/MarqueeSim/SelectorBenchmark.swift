import Foundation
import MarqueeCore

/// Measures label-selector compilation and evaluation against a generated fleet.
///
/// The workload is placement's: 100 applications' selectors, each evaluated against every site.
public struct SelectorBenchmark: Sendable {
    /// Figures from one run.
    public struct Result: Codable, Sendable, Equatable {
        public var selectors: Int
        public var sites: Int
        public var iterations: Int
        /// Evaluations per iteration (selectors × sites).
        public var evaluationsPerIteration: Int
        /// Time to compile all selectors once, in microseconds.
        public var compileMicroseconds: Double
        /// Per-iteration time to evaluate all selectors against all sites, in milliseconds.
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        public var minMilliseconds: Double
        /// Median nanoseconds per single evaluation.
        public var nanosecondsPerEvaluation: Double
        /// Sites matched per iteration (the same every iteration; shows the work is real).
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
        var samples: [Double] = []
        var matches = 0
        for iteration in 0..<iterations {
            var count = 0
            let elapsed = clock.measure {
                for selector in compiled {
                    for siteLabels in labels where selector.matches(siteLabels) { count += 1 }
                }
            }
            matches = count
            samples.append(elapsed.milliseconds)
            if iteration % 20 == 0 || iteration == iterations - 1 { progress(iteration + 1, iterations) }
        }
        samples.sort()
        let evaluations = compiled.count * sites.count
        let p50 = samples[samples.count / 2]
        return Result(
            selectors: compiled.count, sites: sites.count, iterations: iterations, evaluationsPerIteration: evaluations,
            compileMicroseconds: compileTime.milliseconds * 1_000, p50Milliseconds: p50,
            p99Milliseconds: samples[min(samples.count - 1, samples.count * 99 / 100)], minMilliseconds: samples[0],
            nanosecondsPerEvaluation: p50 * 1_000_000 / Double(max(1, evaluations)), matches: matches)
    }
}

extension Duration {
    /// The duration in milliseconds, as a fraction.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
    }
}
