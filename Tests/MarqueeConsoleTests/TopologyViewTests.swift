import Foundation
import MarqueeConsole
import MarqueeCore
import MarqueeTestSupport
import Testing

/// From a host's containers, `t` opens the drill-down: container → app → host → kernel, runtime,
/// with what in the fleet shares them; Enter on a sharing container opens its host.
@Suite struct TopologyViewTests {
    @Test func tOnAContainerShowsItsHostKernelRuntimeAndWhatSharesThem() async throws {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        try await store.replaceFleet(with: ConsoleFixture.fleet)
        let now = Fixtures.now
        let container = try #require(ConsoleFixture.fleet.containers.first { $0.state == .running })
        let host = try #require(ConsoleFixture.fleet.hosts.first { $0.id == container.hostID })
        let api = LocalFleetAPI(inventory: store, events: store, now: { now })
        var state = try await ConsoleRenderer.state(api: api, view: .host(host.id), width: 140, height: 40, readOnly: true, now: now)
        _ = ConsoleApp.update(&state, .hostDetailLoaded(try await api.host(id: host.id)))
        state.screen.cursor = try #require((0..<state.table.count).first { state.table.row(at: $0)?.id == container.id })
        #expect(ConsoleFixture.type("t", into: &state) == [.loadTopology(container.id)])

        let topology = try await LocalLogAPI(store: store, clock: ManualClock()).topology(of: container.id, limit: ConsoleState.topologyExamples)
        _ = ConsoleApp.update(&state, .topologyLoaded(container.id, topology))
        let text = ConsoleFixture.text(state)
        let both = try #require(topology.shared.first { $0.attribute == .runtimeAndKernel })
        #expect(text.contains("Kernel    \(host.kernelRelease)"), "\(text)")
        #expect(text.contains("Runtime   \(host.runtimeName) \(host.runtimeVersion)"), "\(text)")
        #expect(text.contains("with this kernel: \(both.hosts) hosts at \(both.sites) theaters"), "\(text)")
        #expect(text.contains("App       \(container.app)"), "\(text)")
        // The host's containers first, then the others sharing runtime + kernel; each container once
        let rows = (0..<state.table.count).compactMap { state.table.row(at: $0) }
        #expect(rows.prefix { $0.cells[0] == "this host" }.count == topology.onHost.count)
        #expect(Set(rows.map(\.id)).count == rows.count)
        let elsewhere = try #require(rows.first { $0.cells[0] == "runtime+kernel" })
        // Enter: that container's host
        state.screen.cursor = try #require(rows.firstIndex { $0.id == elsewhere.id })
        let effects = ConsoleFixture.type("<enter>", into: &state)
        #expect(effects == [.loadHostDetail(String(elsewhere.id.prefix { $0 != "/" }))])
        // The palette reaches it too
        #expect(ConsoleFixture.type(":topology \(host.id)<enter>", into: &state) == [.loadTopology(host.id)])
    }
}
