import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

/// Log lines through the heartbeat ingest into SQLite (with the trigram index), and back out by
/// reference, text and time, and as a correlated timeline.
@Suite struct LogStoreTests {
    struct World {
        let store: SQLiteFleetStore
        let lifecycle: HostLifecycle<SQLiteFleetStore>
        let clock: ManualClock
        let slow: EdgeHost
        let peer: EdgeHost
        let container: ContainerInstance
    }

    /// Two hosts on the same kernel and runtime, one container on the first.
    static func world() async throws -> (World, credentials: [String: String]) {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        let fleet = Fixtures.fleet(theaters: 20)
        try await store.replaceFleet(with: fleet)
        let clock = ManualClock()
        let lifecycle = HostLifecycle(store: store, now: clock.now)
        let container = try #require(fleet.containers.first { $0.state == .running })
        let slow = try #require(fleet.hosts.first { $0.id == container.hostID })
        let peer = try #require(fleet.hosts.first { $0.id != slow.id && $0.siteID != slow.siteID && $0.status == .online })
        var credentials: [String: String] = [:]
        for host in [slow, peer] {
            let (token, _) = try await lifecycle.createEnrollmentToken(siteID: host.siteID, ttl: .seconds(3_600))
            credentials[host.id] = try await lifecycle.enroll(token: token, facts: host.facts).credential
        }
        return (World(store: store, lifecycle: lifecycle, clock: clock, slow: slow, peer: peer, container: container), credentials)
    }

    @Test func linesAreStoredOnceWithTheirReferencesAndFoundByAnyOfThem() async throws {
        let (world, credentials) = try await Self.world()
        let start = Fixtures.now
        let records: [ReportRecord] = [
            .log(
                LogEntry(
                    severity: .info, layer: .app, source: "stdout", message: "GET /api/health 200 12.0ms", container: world.container.id,
                    runtimeInstance: "4242"), at: start),
            .log(
                LogEntry(severity: .warning, layer: .kernel, source: "kmsg", message: "sched: RT throttling activated"),
                at: start.addingTimeInterval(1)),
            .log(
                LogEntry(
                    severity: .error, layer: .app, source: "stderr", message: "Traceback (most recent call last):\n  File \"x.py\"",
                    container: world.container.id),
                at: start.addingTimeInterval(2)),
        ]
        let batch = ReportBatch(sequence: 1, createdAt: start, records: records)
        let credential = try #require(credentials[world.slow.id])
        _ = try await world.lifecycle.heartbeat(credential: credential, facts: nil, batches: [batch])
        _ = try await world.lifecycle.heartbeat(credential: credential, facts: nil, batches: [batch])  // re-sent: ignored
        let all = try await world.store.logs(LogQuery(hostID: world.slow.id))
        #expect(all.count == 3)
        // Newest first; the app lines carry the container's app, service and tenant; every line the host's kernel and runtime.
        #expect(all.map(\.layer) == [.app, .kernel, .app])
        let app = try #require(all.last)
        #expect(app.app == world.container.app && app.service == world.container.service && app.tenant == world.container.tenantID)
        #expect(app.siteID == world.slow.siteID && app.kernel == world.slow.kernelRelease)
        #expect(app.runtime == "\(world.slow.runtimeName) \(world.slow.runtimeVersion)" && app.runtimeInstance == "4242")
        #expect(all[1].container == nil && all[1].app == nil)
        // By container, layer, severity, text (trigram index and short substrings), and following.
        #expect(try await world.store.logs(LogQuery(container: world.container.id)).count == 2)
        #expect(try await world.store.logs(LogQuery(layers: [.kernel])).map(\.message) == ["sched: RT throttling activated"])
        #expect(try await world.store.logs(LogQuery(minimumSeverity: .warning)).count == 2)
        #expect(try await world.store.logs(LogQuery(text: "THROTTLING")).count == 1)
        #expect(try await world.store.logs(LogQuery(text: "x.py\"")).count == 1)
        #expect(try await world.store.logs(LogQuery(text: "RT")).count == 1)
        #expect(try await world.store.logs(LogQuery(since: start.addingTimeInterval(1), until: start.addingTimeInterval(2))).count == 1)
        let first = try #require(all.last?.id)
        #expect(try await world.store.logs(LogQuery(afterID: first)).map(\.layer) == [.kernel, .app])
        // Bad queries name the parameter.
        let api = LocalLogAPI(store: world.store, clock: world.clock)
        await #expect(throws: LogQueryError.invalid(field: "limit", reason: "must be 1…10000")) { try await api.logs(LogQuery(limit: 0)) }
        await #expect(throws: LogQueryError.unknownContainer("nope")) { try await api.correlate(container: "nope", at: nil, window: 60) }
        // Retention: by age, then by count.
        #expect(try await world.store.pruneLogs(before: start.addingTimeInterval(1), maximumLines: 10) == 1)
        #expect(try await world.store.pruneLogs(before: start, maximumLines: 1) == 1)
        #expect(try await world.store.logs(LogQuery()).count == 1)
        #expect(try await world.store.logs(LogQuery(text: "throttling")).isEmpty)
    }

    @Test func correlationInterleavesTheContainerWithItsHostAndFindsTheSameMessageElsewhere() async throws {
        let (world, credentials) = try await Self.world()
        let start = Fixtures.now
        func send(_ host: EdgeHost, _ sequence: Int64, _ records: [ReportRecord]) async throws {
            _ = try await world.lifecycle.heartbeat(
                credential: credentials[host.id]!, facts: nil, batches: [ReportBatch(sequence: sequence, createdAt: start, records: records)])
        }
        let id = world.container.id
        try await send(
            world.slow, 1,
            [
                .log(LogEntry(severity: .info, layer: .app, source: "stdout", message: "GET / 200 10ms", container: id), at: start),
                .log(
                    LogEntry(severity: .warning, layer: .kernel, source: "kmsg", message: "hrtimer: interrupt took 2456093 ns"),
                    at: start.addingTimeInterval(5)),
                .log(
                    LogEntry(
                        severity: .warning, layer: .runtime, source: "containerd", message: "task cgroup cpu throttled nr_throttled=120",
                        container: id),
                    at: start.addingTimeInterval(6)),
                .log(
                    LogEntry(severity: .warning, layer: .app, source: "stdout", message: "slow request: GET / took 180 ms", container: id),
                    at: start.addingTimeInterval(7)),
                // Outside the window, and another container's app line: neither belongs. A runtime line
                // about another container on the host does: it is the host's runtime speaking.
                .log(LogEntry(severity: .info, layer: .kernel, source: "kmsg", message: "eth0: link up"), at: start.addingTimeInterval(-3_600)),
                .log(
                    LogEntry(severity: .info, layer: .runtime, source: "containerd", message: "neighbour task throttled", container: "neighbour/x"),
                    at: start.addingTimeInterval(3)),
                .log(
                    LogEntry(severity: .info, layer: .app, source: "stdout", message: "neighbour GET / 200", container: "neighbour/x"),
                    at: start.addingTimeInterval(4)),
            ])
        try await send(
            world.peer, 1,
            [
                .log(
                    LogEntry(severity: .warning, layer: .kernel, source: "kmsg", message: "hrtimer: interrupt took 3100200 ns"),
                    at: start.addingTimeInterval(30))
            ])
        let correlation = try #require(try await world.store.correlate(container: id, at: start.addingTimeInterval(5), window: 120, limit: 100))
        #expect(correlation.hostID == world.slow.id && correlation.kernel == world.slow.kernelRelease)
        #expect(correlation.timeline.map(\.layer) == [.app, .runtime, .kernel, .runtime, .app])
        #expect(correlation.timeline.map(\.container) == [id, "neighbour/x", nil, id, id])
        #expect(correlation.timeline.map(\.time) == correlation.timeline.map(\.time).sorted())
        let elsewhere = try #require(correlation.elsewhere.first)
        #expect(elsewhere.pattern == "hrtimer: interrupt took # ns" && elsewhere.hosts == 1 && elsewhere.exampleHost == world.peer.id)
        #expect(elsewhere.kernel == world.peer.kernelRelease)
    }
}
