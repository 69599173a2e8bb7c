import Foundation
import GRDB
import MarqueeConsole
import MarqueeCore
import MarqueeTestSupport
import Testing

/// The probes view on a fleet where hosts combining one runtime and one kernel answer slowly:
/// from the fleet, `d` and Enter reach the cohort panel naming the combination, and Enter again
/// opens an affected host.
@Suite struct ProbeViewTests {
    struct World {
        let api: LocalFleetAPI<SQLiteFleetStore, SQLiteFleetStore>
        let probes: LocalProbeAPI
        let slow: Set<String>
        let combination: String
    }

    /// Fifteen minutes of probes for every online host; the hosts with one runtime × kernel pair
    /// are four times slower.
    static let world = Task {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        try await store.replaceFleet(with: ConsoleFixture.fleet)
        let hosts = try await store.hosts(siteID: nil, status: .online)
        let sites = Dictionary(uniqueKeysWithValues: try await store.sites().map { ($0.id, $0) })
        let pairs = Dictionary(grouping: hosts) { "\($0.runtimeName) \($0.runtimeVersion) on \($0.kernelRelease)" }
        // The largest combination that is still a minority (the fleet median stays healthy).
        let (combination, affected) = try #require(
            pairs.filter { $0.value.count < hosts.count / 4 }.max { ($0.value.count, $1.key) < ($1.value.count, $0.key) })
        let slow = Set(affected.map(\.id))
        var accumulator = ProbeAccumulator()
        for minute in 0..<15 {
            let time = Fixtures.now.addingTimeInterval(-Double(15 - minute) * 60)
            for host in hosts {
                for step in 0..<6 {
                    let latency = (slow.contains(host.id) ? 80.0 : 20.0) * (1 + Double((step + minute) % 5) / 20)
                    accumulator.add(
                        ProbeSample(
                            app: "kiosk-ticketing", service: "api", container: "c", probe: "readiness", latencyMilliseconds: latency, success: true),
                        at: time.addingTimeInterval(Double(step) * 10), hostID: host.id, siteID: host.siteID,
                        country: sites[host.siteID]?.country ?? "")
                }
            }
        }
        try await store.recordProbes(accumulator)
        return World(
            api: LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now }),
            probes: LocalProbeAPI(store: store, clock: ManualClock()), slow: slow, combination: combination)
    }

    @Test func fromTheFleetTwoKeysReachTheCohortPanelAndAThirdOpensAnAffectedHost() async throws {
        let world = try await Self.world.value
        var state = try await ConsoleRenderer.state(
            api: world.api, view: .countries, width: 140, height: 36, readOnly: true, now: Fixtures.now)
        #expect(ConsoleFixture.type("d", into: &state) == [.loadProbes(at: Fixtures.now)])
        #expect(state.probesInFlight && ConsoleFixture.type("<esc>d", into: &state).isEmpty)
        #expect(state.screen.kind == .probes)
        let overview = try await ProbeOverview.load(probes: world.probes, fleet: world.api, now: Fixtures.now)
        _ = ConsoleApp.update(&state, .probesLoaded(overview, at: Fixtures.now))
        let list = ConsoleFixture.text(state)
        #expect(list.contains("kiosk-ticketing") && list.contains("runtime+kernel"))
        #expect(ConsoleFixture.type("<enter>", into: &state).isEmpty)
        #expect(state.screen.kind == .cohort("kiosk-ticketing"))
        let panel = ConsoleFixture.text(state)
        #expect(panel.contains("Likely cause  runtime+kernel \(world.combination)"), "\(panel)")
        let host = try #require(state.table.row(at: 0)?.id)
        #expect(world.slow.contains(host))
        #expect(panel.contains(host))
        #expect(ConsoleFixture.type("<enter>", into: &state) == [.loadHostDetail(host)])
        #expect(state.screen.kind == .host(host))
    }

    @Test func worstTheatersAlertsAndTheHeatmapLeadToTheSlowHosts() async throws {
        let world = try await Self.world.value
        var state = try await ConsoleRenderer.state(
            api: world.api, probes: world.probes, view: .probes, width: 140, height: 40, readOnly: true, now: Fixtures.now)
        // The probes screen: a panel with the selected app's fleet percentiles as sparklines.
        let probes = ConsoleFixture.text(state)
        #expect(probes.contains("p95  ") && probes.contains("fleet, last 6 h"), "\(probes)")
        // w: the worst theaters, each with a trend, and a slow theater first.
        _ = ConsoleFixture.type("w", into: &state)
        #expect(state.screen.kind == .worstSites)
        let worst = ConsoleFixture.text(state)
        #expect(worst.contains("TREND 15M") && worst.contains("kiosk-ticketing"), "\(worst)")
        let first = try #require(state.table.row(at: 0)?.id)
        let site = try #require(first.split(separator: "/").last.map(String.init))
        let slowSites = Set(try await world.api.hosts(HostQuery()).filter { world.slow.contains($0.id) }.map(\.siteID))
        #expect(slowSites.contains(site))
        // l: logs at this spike — the app's container on the theater's slowest degraded host.
        let effects = ConsoleFixture.type("l", into: &state)
        guard case .loadTimeline(let container, _)? = effects.first else {
            Issue.record("l opened no timeline: \(effects)")
            return
        }
        #expect(container.hasPrefix(site) && container.contains("/kiosk-ticketing/") && world.slow.contains(String(container.prefix { $0 != "/" })))
        _ = ConsoleFixture.type("<esc>", into: &state)
        #expect(state.screen.kind == .worstSites)
        // Enter: the app's degraded hosts at that theater; Enter again: one of them.
        _ = ConsoleFixture.type("<enter>", into: &state)
        #expect(state.screen.kind == .cohort("kiosk-ticketing") && state.screen.filter == site)
        let host = try #require(state.table.row(at: 0)?.id)
        #expect(world.slow.contains(host) && host.hasPrefix(site))
        // m: the heatmap of the app; its rows are countries.
        #expect(ConsoleFixture.type("m", into: &state) == [.loadHeatmap("kiosk-ticketing", at: Fixtures.now)])
        let grid = try await world.probes.probeHeatmap(
            app: "kiosk-ticketing", since: Fixtures.now.addingTimeInterval(-86_400), until: Fixtures.now, step: 3_600)
        _ = ConsoleApp.update(&state, .heatmapLoaded(grid))
        #expect(state.table.count == grid.rows.count && grid.rows.count > 1)
        #expect(ConsoleFixture.text(state).contains("p95 per country, last 24 h by hour"))
        // :alerts lists the alerts read from events (none recorded in this world).
        _ = ConsoleFixture.type(":alerts<enter>", into: &state)
        #expect(state.screen.kind == .alerts && ConsoleFixture.text(state).contains("0 active"))
        // An alert raised 40 minutes ago: l opens the timeline around when it was raised, not now.
        let raised = Fixtures.now.addingTimeInterval(-2_400)
        let event = Event(
            time: raised, kind: "probe.degraded", severity: .warning, subject: "site/\(site)", message: "kiosk-ticketing p95 180 ms", actor: "system")
        let overview = try #require(state.probeOverview)
        _ = ConsoleApp.update(
            &state,
            .probesLoaded(
                ProbeOverview(reports: overview.reports, trends: overview.trends, worst: overview.worst, alerts: ProbeAlert.alerts(from: [event])),
                at: Fixtures.now))
        #expect(ConsoleFixture.type("l", into: &state) == [.loadTimeline(container, at: raised)])
        // From the worst list the same container's timeline is centred on now again.
        _ = ConsoleFixture.type("<esc>w", into: &state)
        #expect(ConsoleFixture.type("l", into: &state) == [.loadTimeline(container, at: Fixtures.now)])
    }
}
