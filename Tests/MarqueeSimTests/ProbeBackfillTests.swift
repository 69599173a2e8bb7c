import Foundation
import MarqueeCore
import MarqueeSim
import MarqueeTestSupport
import Testing

@Suite struct ProbeBackfillTests {
    @Test func aFreshDemoHasAWeekOfFleetAndCountryHistoryAndADayOfTheaters() async throws {
        let fleet = Fixtures.fleet(theaters: 12)
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        try await store.replaceFleet(with: fleet)
        let now = Fixtures.now
        let rows = try await ProbeBackfill.run(fleet: fleet, store: store, now: now)
        #expect(rows > 0)
        let app = "people-counter"
        let week = try await store.probeSeries(
            ProbeSeriesQuery(app: app, scope: .fleet, since: now.addingTimeInterval(-7 * 86_400), until: now, step: 3_600), now: now)
        #expect(week.resolution == .hour && week.points.count == 168)
        // One container per theater, a probe every 10 s: 360 samples per theater-hour.
        let theaters = Set(fleet.containers.filter { $0.app == app && ($0.state == .running || $0.state == .unhealthy) }.map(\.hostID))
            .count
        #expect(week.points.allSatisfy { $0.count > 0 } && week.total.count == Int64(168 * 360 * theaters))
        let site = try #require(fleet.sites.first { site in fleet.containers.contains { $0.app == app && $0.hostID.hasPrefix(site.id) } })
        let day = try await store.probeSeries(
            ProbeSeriesQuery(app: app, scope: .site(site.id), since: now.addingTimeInterval(-86_400), until: now, step: 3_600), now: now)
        #expect(day.points.count == 24)
        let hour = try await store.probeSeries(
            ProbeSeriesQuery(app: app, scope: .country(site.country), since: now.addingTimeInterval(-3_600), until: now, step: 60), now: now)
        #expect(hour.resolution == .minute && hour.points.count == 60)
        // The latency model: every app's p50 is within its simulated range (4…40 ms, evenings up to 1.35×).
        let p50 = try #require(week.total.p50)
        #expect(p50 >= 4 && p50 <= 40 * 1.35)
    }
}
