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
        #expect(ConsoleFixture.type("d", into: &state) == [.loadProbes])
        #expect(state.screen.kind == .probes)
        let reports = try await world.probes.probeCohorts(app: nil, policy: DegradationPolicy())
        _ = ConsoleApp.update(&state, .probesLoaded(reports, at: Fixtures.now))
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
}
