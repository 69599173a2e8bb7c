import Foundation
import MarqueeCore
import MarqueeSim
import MarqueeTestSupport
import Testing

@Suite struct LogBackfillTests {
    /// A fresh demo has the last hour of every running container's access lines, with their
    /// references, and the hosts' own reports still start at sequence 1.
    @Test func aFreshFleetHasAnHourOfAccessLinesAndItsReportStreamsAreUntouched() async throws {
        let fleet = Fixtures.fleet(theaters: 6)
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        try await store.replaceFleet(with: fleet)
        let now = Fixtures.now
        var steps: [(Int, Int)] = []
        let written = try await LogBackfill.run(fleet: fleet, store: store, now: now) { steps.append(($0, $1)) }
        let running = fleet.containers.filter { $0.state == .running || $0.state == .unhealthy }
        // About one access line a minute per container.
        #expect(Double(written) > Double(running.count) * 60 * 0.8 && Double(written) < Double(running.count) * 60 * 1.2, "\(written)")
        #expect(steps.last.map { $0.0 == $0.1 } == true)

        let all = try await store.logs(LogQuery(since: now.addingTimeInterval(-7_200), limit: 1_000_000))
        #expect(all.count == written)
        #expect(all.allSatisfy { $0.layer == .app && $0.time <= now && $0.time >= now.addingTimeInterval(-3_600) })
        // The oldest and newest lines are an hour apart (within a probe step at each end).
        let times = all.map(\.time)
        #expect(try #require(times.max()).timeIntervalSince(try #require(times.min())) > 3_500)
        // References as ingest gives them: the container's app and tenant, the host's site and kernel.
        let byID = Dictionary(uniqueKeysWithValues: fleet.containers.map { ($0.id, $0) })
        let hosts = Dictionary(uniqueKeysWithValues: fleet.hosts.map { ($0.id, $0) })
        for line in all.prefix(500) {
            let container = try #require(line.container.flatMap { byID[$0] })
            #expect(line.app == container.app && line.tenant == container.tenantID && line.hostID == container.hostID)
            #expect(line.siteID == hosts[container.hostID]?.siteID && line.kernel == hosts[container.hostID]?.facts.kernelRelease)
        }
        // Slow requests are warnings that search finds.
        let slow = try await store.logs(LogQuery(since: now.addingTimeInterval(-3_600), text: "slow request", limit: 10_000))
        #expect(!slow.isEmpty && slow.allSatisfy { $0.severity == .warning })

        // No report stream moved: a host's first real batch is sequence 1 and is applied.
        let host = try #require(fleet.hosts.first { $0.status == .online })
        #expect(try await store.reportCursor(hostID: host.id) == nil)
        let lifecycle = HostLifecycle(store: store, now: { now })
        let (token, _) = try await lifecycle.createEnrollmentToken(siteID: host.siteID, ttl: .seconds(3_600))
        let enrollment = try await lifecycle.enroll(token: token, facts: host.facts)
        let reply = try await lifecycle.heartbeat(
            credential: enrollment.credential, facts: nil,
            batches: [
                ReportBatch(
                    sequence: 1, createdAt: now,
                    records: [.log(LogEntry(severity: .info, layer: .agent, source: "agent", message: "started"), at: now)])
            ])
        #expect(reply.acknowledgedSequence == 1)
    }
}
