import Foundation
import MarqueeConsole
import MarqueeCore
import MarqueeTestSupport
import Testing

/// From a host's containers, `l` opens one container's lines interleaved with its host's runtime
/// and kernel lines, with the same kernel message on other hosts in the panel.
@Suite struct LogViewTests {
    @Test func lOnAContainerShowsItsTimelineWithTheHostsKernelAndRuntimeLines() async throws {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        try await store.replaceFleet(with: ConsoleFixture.fleet)
        let clock = ManualClock()
        let lifecycle = HostLifecycle(store: store, now: clock.now)
        let container = try #require(ConsoleFixture.fleet.containers.first { $0.state == .running })
        let host = try #require(ConsoleFixture.fleet.hosts.first { $0.id == container.hostID })
        let peer = try #require(
            ConsoleFixture.fleet.hosts.first { $0.siteID != host.siteID && $0.kernelRelease == host.kernelRelease && $0.status == .online })
        let now = Fixtures.now
        for (index, sender) in [host, peer].enumerated() {
            let (token, _) = try await lifecycle.createEnrollmentToken(siteID: sender.siteID, ttl: .seconds(3_600))
            let credential = try await lifecycle.enroll(token: token, facts: sender.facts).credential
            var records: [ReportRecord] = [
                .log(
                    LogEntry(severity: .warning, layer: .kernel, source: "kmsg", message: "sched: RT throttling activated"),
                    at: now.addingTimeInterval(-60))
            ]
            if index == 0 {
                records += [
                    .log(
                        LogEntry(
                            severity: .warning, layer: .app, source: "stdout", message: "slow request: GET / took 180 ms", container: container.id),
                        at: now.addingTimeInterval(-50)),
                    .log(
                        LogEntry(
                            severity: .warning, layer: .runtime, source: "containerd", message: "task cgroup cpu throttled", container: container.id),
                        at: now.addingTimeInterval(-55)),
                    // The host's runtime about a neighbour container: part of the host's story.
                    .log(
                        LogEntry(
                            severity: .warning, layer: .runtime, source: "containerd", message: "neighbour throttled",
                            container: "\(host.id)/neighbour/n-0"),
                        at: now.addingTimeInterval(-45)),
                ]
            }
            _ = try await lifecycle.heartbeat(
                credential: credential, facts: nil, batches: [ReportBatch(sequence: 1, createdAt: now, records: records)])
        }
        let api = LocalFleetAPI(inventory: store, events: store, now: { now })
        var state = try await ConsoleRenderer.state(api: api, view: .host(host.id), width: 140, height: 36, readOnly: true, now: now)
        _ = ConsoleApp.update(&state, .hostDetailLoaded(try await api.host(id: host.id)))
        let row = try #require((0..<state.table.count).first { state.table.row(at: $0)?.id == container.id })
        state.screen.cursor = row
        #expect(ConsoleFixture.type("l", into: &state) == [.loadTimeline(container.id, at: now)])
        let correlation = try await LocalLogAPI(store: store, clock: clock).correlate(container: container.id, at: now, window: 600)
        _ = ConsoleApp.update(&state, .timelineLoaded(correlation))
        let text = ConsoleFixture.text(state)
        #expect(state.table.count == 4)
        #expect(text.contains("[neighbour/n-0] neighbour throttled"), "\(text)")
        #expect(text.contains("kernel \(host.kernelRelease)") && text.contains("sched: RT throttling activated"), "\(text)")
        #expect(text.contains("\"sched: RT throttling activated\"  on 1 other host(s)"), "\(text)")
        // Oldest first: the kernel line, then the runtime's, the app's, the neighbour's runtime line.
        #expect((0..<4).compactMap { state.table.row(at: $0)?.cells[1] } == ["kernel", "runtime", "app", "runtime"])
    }
}
