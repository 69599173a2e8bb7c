import Foundation
import MarqueeCore
import MarqueeSim
import MarqueeTestSupport
import Testing

/// A whole generated fleet upgraded through the real engine, rescheduler and SQLite store on a
/// virtual clock (the benchmark's run, smaller): it completes, and no service that ran before is
/// ever seen with no running instance.
@Suite struct UpgradeBenchmarkTests {
    @Test func aGeneratedFleetUpgradesWithNoServiceEverAtZero() async throws {
        let fleet = try FleetGenerator(.init(theaters: 40, seed: 3, now: Fixtures.now)).generate()
        let result = try await UpgradeBenchmark(fleet: fleet, parallel: 10).run()
        #expect(result.finalState == "completed", "\(result.reason ?? "") \(result.haltedSites)")
        #expect(result.hostsUpgraded > 100 && result.hostsUpgraded <= result.hosts)
        #expect(result.servicesWatched > 100 && result.availabilityChecks > 100)
        #expect(result.servicesAtZero == 0, "\(result.servicesAtZeroExamples)")
    }
}
