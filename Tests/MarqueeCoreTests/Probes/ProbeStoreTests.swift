import Foundation
import GRDB
import MarqueeCore
import MarqueeTestSupport
import Testing

/// Probe samples through the heartbeat ingest into stored sketches, and back out as series.
@Suite struct ProbeStoreTests {
    static func sample(_ latency: Double, app: String = "kiosk-ticketing", success: Bool = true) -> ProbeSample {
        ProbeSample(
            app: app, service: "api", container: "c-1", probe: "readiness", latencyMilliseconds: latency, success: success,
            status: success ? "HTTP 200" : "HTTP 503")
    }

    @Test func samplesAreCountedExactlyOnceAndRolledUpToSiteCountryAndFleet() async throws {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        try await store.replaceFleet(with: Fixtures.fleet())
        let clock = ManualClock()
        let lifecycle = HostLifecycle(store: store, now: clock.now)
        let host = try #require(try await store.hosts(siteID: nil, status: .online).first)
        let site = try #require(try await store.site(id: host.siteID))
        let (token, _) = try await lifecycle.createEnrollmentToken(siteID: host.siteID, ttl: .seconds(3_600))
        let enrollment = try await lifecycle.enroll(token: token, facts: host.facts)
        let start = Fixtures.now
        let first = ReportBatch(
            sequence: 1, createdAt: start,
            records: (0..<6).map { .probe(Self.sample(Double(10 + $0)), at: start.addingTimeInterval(Double($0) * 10)) })
        let second = ReportBatch(
            sequence: 2, createdAt: start,
            records: [.probe(Self.sample(900, success: false), at: start.addingTimeInterval(61))])
        _ = try await lifecycle.heartbeat(credential: enrollment.credential, facts: nil, batches: [first])
        // The reply was lost: batch 1 comes again with batch 2; only batch 2 counts.
        _ = try await lifecycle.heartbeat(credential: enrollment.credential, facts: nil, batches: [first, second])

        let now = start.addingTimeInterval(600)
        let query = ProbeSeriesQuery(app: "kiosk-ticketing", scope: .host(host.id), since: start, until: now, step: 60)
        let hostSeries = try await store.probeSeries(query, now: now)
        #expect(hostSeries.total.count == 7 && hostSeries.total.errors == 1)
        #expect(hostSeries.resolution == .minute && hostSeries.points.count == 2)
        #expect(hostSeries.points.map(\.count) == [6, 1])
        let p50 = try #require(hostSeries.points.first?.p50)
        #expect(abs(p50 - 12) / 12 <= 0.01)
        for scope in [ProbeScope.site(site.id), .country(site.country), .fleet] {
            var scoped = query
            scoped.scope = scope
            let series = try await store.probeSeries(scoped, now: now)
            #expect(series.total.count == 7, "\(scope)")
        }
        // Hour buckets hold the same samples.
        let hours = try await store.probeSeries(
            ProbeSeriesQuery(app: "kiosk-ticketing", scope: .fleet, since: start.addingTimeInterval(-3 * 86_400), until: now), now: now)
        #expect(hours.resolution == .hour && hours.total.count == 7)
        let worst = try await store.probeWorstSites(app: nil, since: start, until: now, limit: 5, now: now)
        #expect(worst.first?.siteID == site.id && worst.first?.figures.count == 7)
    }

    @Test func retentionDropsMinutesAfter48HoursAndHoursAfter30Days() async throws {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        let start = Fixtures.now
        var accumulator = ProbeAccumulator()
        for day in [0, 3, 40] {
            var sketch = LatencySketch()
            sketch.record(20)
            accumulator.add(
                sketch, errors: 0, app: "a", bucketStart: start.addingTimeInterval(-Double(day) * 86_400), hostID: "h", siteID: "s", country: "SE")
        }
        try await store.recordProbes(accumulator)
        let deleted = try await store.compactProbes(now: start.addingTimeInterval(30))
        // Day 3 and day 40 lose their minute rows (4 scopes each); day 40 its hour rows too.
        #expect(deleted == 12)
        let month = try await store.probeSeries(
            ProbeSeriesQuery(app: "a", since: start.addingTimeInterval(-50 * 86_400), until: start.addingTimeInterval(60)), now: start)
        #expect(month.total.count == 2)
        let today = try await store.probeSeries(
            ProbeSeriesQuery(app: "a", since: start.addingTimeInterval(-3_600), until: start.addingTimeInterval(60)), now: start)
        #expect(today.resolution == .minute && today.total.count == 1)
    }

    @Test func badQueriesNameTheParameter() async throws {
        let api = LocalProbeAPI(store: SQLiteFleetStore(try FleetDatabase.inMemory()), clock: ManualClock())
        let now = Fixtures.now
        await #expect(throws: ProbeQueryError.invalid(field: "app", reason: "is required")) {
            try await api.probeSeries(ProbeSeriesQuery(app: "", since: now.addingTimeInterval(-60), until: now))
        }
        await #expect(throws: ProbeQueryError.invalid(field: "since", reason: "must be before until")) {
            try await api.probeSeries(ProbeSeriesQuery(app: "a", since: now, until: now))
        }
        await #expect(throws: ProbeQueryError.self) {
            try await api.probeSeries(ProbeSeriesQuery(app: "a", since: now.addingTimeInterval(-86_400 * 30), until: now, step: 60))
        }
        #expect(ProbeScope("site:se-sto-001") == .site("se-sto-001") && ProbeScope("fleet") == .fleet)
        #expect(ProbeScope("site:") == nil && ProbeScope("planet:x") == nil && ProbeScope("fleet:x") == nil)
    }
}
