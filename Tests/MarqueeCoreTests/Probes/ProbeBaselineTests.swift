import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

/// Baselines (same hour of the last week first), heatmaps and worst-site trends, on real SQLite.
@Suite struct ProbeBaselineTests {
    struct World {
        let store: SQLiteFleetStore
        let api: LocalProbeAPI
        let hosts: [EdgeHost]
        /// Country by site id.
        let countries: [String: String]
        let now = Fixtures.now
    }

    static func world() async throws -> World {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        let fleet = Fixtures.fleet(theaters: 12)
        try await store.replaceFleet(with: fleet)
        let hosts = try await store.hosts(siteID: nil, status: nil).sorted { $0.id < $1.id }
        let countries = Dictionary(uniqueKeysWithValues: fleet.sites.map { ($0.id, $0.country) })
        return World(store: store, api: LocalProbeAPI(store: store, clock: ManualClock()), hosts: hosts, countries: countries)
    }

    /// `count` samples of `latency` for `host` spread over the minute starting at `time`.
    static func record(_ latency: Double, count: Int, host: EdgeHost, country: String, at time: Date, into accumulator: inout ProbeAccumulator) {
        for index in 0..<count {
            let sample = ProbeSample(
                app: "kiosk", service: "api", container: "c-\(host.id)", probe: "http", latencyMilliseconds: latency, success: true,
                status: "HTTP 200")
            accumulator.add(sample, at: time.addingTimeInterval(Double(index % 60)), hostID: host.id, siteID: host.siteID, country: country)
        }
    }

    @Test func aHostIsJudgedAgainstTheSameHourOfTheLastWeekBeforeItsTrailingDay() async throws {
        let world = try await Self.world()
        let sites = world.countries
        let (evening, steady) = (world.hosts[0], world.hosts[1])
        var accumulator = ProbeAccumulator()
        // Every day at this hour the evening host answers in 40 ms (shows run), 20 ms the rest of the day.
        // The steady host answers in 20 ms around the clock.
        for hour in 1...(7 * 24) {
            let time = world.now.addingTimeInterval(Double(-hour) * 3_600)
            let sameHour = hour % 24 == 1  // the hour bucket the window lies in, on earlier days
            Self.record(sameHour ? 40 : 20, count: 40, host: evening, country: sites[evening.siteID]!, at: time, into: &accumulator)
            Self.record(20, count: 40, host: steady, country: sites[steady.siteID]!, at: time, into: &accumulator)
        }
        // Now both answer in 40 ms; a few other hosts (no history) in 20 ms.
        for minute in 1...10 {
            let time = world.now.addingTimeInterval(Double(-minute) * 60)
            for host in [evening, steady] { Self.record(40, count: 6, host: host, country: sites[host.siteID]!, at: time, into: &accumulator) }
            for host in world.hosts[2..<8] { Self.record(20, count: 6, host: host, country: sites[host.siteID]!, at: time, into: &accumulator) }
        }
        try await world.store.recordProbes(accumulator)

        let report = try #require(try await world.api.probeCohorts(app: "kiosk", policy: DegradationPolicy()).first)
        // The evening host is as slow as it always is at this hour; the steady one is not.
        #expect(report.degraded.map(\.hostID) == [steady.id])
        let verdict = try #require(report.degraded.first)
        #expect(verdict.baseline == "same-hour" && abs(verdict.baselineP95 - 20) / 20 < 0.01)
        #expect(report.measuredHosts == 8)
    }

    @Test func heatmapsAndWorstSitesCarryTrendsAndBaselines() async throws {
        let world = try await Self.world()
        let sites = world.countries
        var accumulator = ProbeAccumulator()
        let slow = world.hosts[0]
        // A day of 20 ms everywhere, then the last two hours 3× slower at one host's theater.
        for hour in 1...24 {
            let time = world.now.addingTimeInterval(Double(-hour) * 3_600)
            for host in world.hosts.prefix(6) {
                let latency = host.siteID == slow.siteID && hour <= 2 ? 60.0 : 20
                Self.record(latency, count: 30, host: host, country: sites[host.siteID]!, at: time, into: &accumulator)
            }
        }
        try await world.store.recordProbes(accumulator)
        let since = world.now.addingTimeInterval(-86_400)

        let grid = try await world.api.probeHeatmap(app: "kiosk", since: since, until: world.now, step: 3_600)
        #expect(grid.scopeKind == "country" && grid.step == 3_600 && grid.times.count == 24)
        let slowCountry = try #require(grid.row(sites[slow.siteID]!))
        #expect(slowCountry.p95.count == 24 && slowCountry.counts.reduce(0, +) > 0)
        // The last two hours glow in the slow theater's country.
        #expect(slowCountry.heat.suffix(2).allSatisfy { ($0 ?? 0) >= 3 } && slowCountry.heat.first == 0)
        await #expect(throws: ProbeQueryError.self) { try await world.api.probeHeatmap(app: "", since: since, until: world.now, step: nil) }

        let worst = try await world.api.probeWorstSites(app: "kiosk", since: world.now.addingTimeInterval(-2 * 3_600), until: world.now, limit: 3)
        let first = try #require(worst.first)
        #expect(first.siteID == slow.siteID)
        #expect(first.trend?.count == 24 && first.trend?.compactMap { $0 }.isEmpty == false)
        #expect(first.baseline == "trailing" && abs((first.ratio ?? 0) - 3) < 0.1)
    }

    @Test func sparklinesScaleAndStayFlatForNoise() {
        #expect(Sparkline.render([1, 2, nil, 8]) == "▁▂ █")
        #expect(Sparkline.render([20, 21, 20.5]) == "▂▂▂")
        #expect(Sparkline.render([]) == "")
    }
}
