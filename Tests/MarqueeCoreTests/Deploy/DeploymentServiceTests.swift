import Foundation
import GRDB
import MarqueeCore
import MarqueeTestSupport
import Synchronization
import Testing

/// The deployment controller against a real SQLite store and a virtual clock.
@Suite struct DeploymentServiceTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../examples").standardized.path

    final class Harness: Sendable {
        let database: FleetDatabase
        let store: SQLiteFleetStore
        let clock: ManualClock
        let changed: Mutex<[String]>

        init(theaters: Int = 30) async throws {
            database = try FleetDatabase.inMemory()
            store = SQLiteFleetStore(database)
            try await store.replaceFleet(with: Fixtures.fleet(theaters: theaters))
            clock = ManualClock()
            changed = Mutex([])
        }

        func service() -> DeploymentService {
            DeploymentService(store: store, clock: clock) { hosts in self.changed.withLock { $0 += hosts } }
        }

        /// What agents do: every created container starts running (or fails, for `failing` versions).
        func agentsRun(failing version: String? = nil) async throws {
            try await database.writer.write { db in
                try db.execute(
                    sql: "UPDATE containerInstance SET state = 'running' WHERE state = 'created' AND version != ?", arguments: [version ?? ""])
                try db.execute(
                    sql:
                        "UPDATE containerInstance SET state = 'failed', detail = 'exited with status 1 (3 restarts)' WHERE state = 'created' AND version = ?",
                    arguments: [version ?? ""])
            }
        }
    }

    static func specs(_ name: String) throws -> SpecSet {
        try SpecLoader.load("\(examples)/\(name).yaml")
    }

    @Test func applyIsIdempotentAndSaysWhatChanged() async throws {
        let harness = try await Harness()
        let service = harness.service()
        let specs = try SpecLoader.load(Self.examples)
        let first = try await service.apply(specs, actor: "alice")
        #expect(first.changes.filter { $0.kind == "application" }.allSatisfy { $0.action == .created })
        #expect(first.changes.filter { $0.kind == "rollout" && $0.action == .started }.count == 4)
        let second = try await service.apply(specs, actor: "alice")
        #expect(!second.changed && second.changes.allSatisfy { $0.action == .unchanged })
        #expect(try await harness.store.rollouts().count == 4)
    }

    @Test func applyRejectsUnknownTenantsVersionsAndChangedContentWithTheSpecPosition() async throws {
        let harness = try await Harness()
        let service = harness.service()
        var specs = try Self.specs("hvac-monitor")
        _ = try await service.apply(specs, actor: "alice")
        specs.applications[0].services[0].replicas = 2
        specs.applications[0].tenant = "nobody"
        specs.deployments[0].version = .exact("9.9.9")
        do {
            _ = try await service.apply(specs, actor: "alice")
            Issue.record("apply accepted invalid specs")
        } catch let error as SpecError {
            let text = error.diagnostics.map(\.description)
            #expect(text.contains { $0.contains("hvac-monitor.yaml:2:1: tenant: unknown tenant `nobody`") })
            #expect(text.contains { $0.contains("version: hvac-monitor 1.9.0 was already applied with different content") })
            #expect(
                text.contains {
                    $0.contains("hvac-monitor.yaml:") && $0.contains(":1: version: hvac-monitor has no version 9.9.9; known: 1.8.3, 1.9.0")
                })
        }
    }

    @Test func aRolloutRunsCanaryAndWavesToCompletionAndSurvivesARestart() async throws {
        let harness = try await Harness(theaters: 40)
        let specs = try Self.specs("hvac-monitor")
        _ = try await harness.service().apply(specs, actor: "alice")
        var rollout = try #require(try await harness.store.rollouts().first)
        #expect(rollout.hasCanary && rollout.waves[0].count == 5)
        var ticks = 0
        while rollout.state.isActive, ticks < 200 {
            // A fresh controller every few ticks: the state lives in the database (a tower restart).
            let service = ticks % 3 == 0 ? harness.service() : harness.service()
            try await service.tick()
            try await harness.agentsRun()
            harness.clock.advance(by: 60)
            rollout = try #require(try await harness.store.rollout(id: rollout.id))
            ticks += 1
        }
        #expect(rollout.state == .completed)
        #expect(rollout.failedCount == 0)
        let versions = try await harness.store.runningVersions(application: "hvac-monitor")
        let pending = Set(rollout.sites.values.filter { $0.phase == .offline }.map(\.siteID))
        #expect(versions.filter { !pending.contains($0.key) }.values.allSatisfy { $0 == "1.9.0" })
        #expect(!harness.changed.withLock { $0 }.isEmpty)
        let events = try await harness.store.events(EventQuery(limit: 500, subjectPrefix: "rollout/"))
        #expect(events.contains { $0.kind == "rollout.completed" })
    }

    @Test func aFailingCanaryHaltsAndTheCanarySitesRunThePreviousVersionAgain() async throws {
        let harness = try await Harness(theaters: 40)
        let service = harness.service()
        _ = try await service.apply(try Self.specs("hvac-monitor"), actor: "alice")
        let id = try #require(try await harness.store.rollouts().first?.id)
        try await service.tick()
        try await harness.agentsRun(failing: "1.9.0")
        harness.clock.advance(by: 30)
        try await service.tick()
        let rollout = try #require(try await harness.store.rollout(id: id))
        #expect(rollout.state == .halted)
        #expect(rollout.reason?.contains("container hvac-monitor/monitor-0 failed: exited with status 1 (3 restarts); rolled back to 1.8.3") == true)
        try await harness.agentsRun()
        let versions = try await harness.store.runningVersions(application: "hvac-monitor")
        #expect(rollout.waves[0].allSatisfy { versions[$0] == "1.8.3" })
    }

    @Test func aCanaryWhoseProbesRegressRollsBackUnderOnProbeRegression() async throws {
        let harness = try await Harness(theaters: 40)
        let probes = LocalProbeAPI(store: harness.store, clock: harness.clock)
        let service = DeploymentService(store: harness.store, clock: harness.clock, probes: probes) { _ in }
        var specs = try Self.specs("hvac-monitor")
        specs.deployments[0].rollout.autoRollback = .onProbeRegression
        _ = try await service.apply(specs, actor: "alice")
        let id = try #require(try await harness.store.rollouts().first?.id)
        try await service.tick()
        try await harness.agentsRun()
        let started = try #require(try await harness.store.rollout(id: id))
        let canary = Set(started.waves[0])
        // The new version answers 5× slower at the canary theaters; everywhere else probes are normal.
        let hosts = try await harness.store.hosts(siteID: nil, status: .online)
        let sites = Dictionary(uniqueKeysWithValues: try await harness.store.sites().map { ($0.id, $0.country) })
        var accumulator = ProbeAccumulator()
        for host in hosts {
            let latency = canary.contains(host.siteID) ? 100.0 : 20.0
            for second in stride(from: 10, through: 240, by: 10) {
                let sample = ProbeSample(
                    app: "hvac-monitor", service: "monitor", container: "c", probe: "readiness", latencyMilliseconds: latency, success: true)
                accumulator.add(
                    sample, at: harness.clock.now().addingTimeInterval(Double(second)), hostID: host.id, siteID: host.siteID,
                    country: sites[host.siteID] ?? "")
            }
        }
        try await harness.store.recordProbes(accumulator)
        harness.clock.advance(by: 250)
        try await service.tick()
        let rollout = try #require(try await harness.store.rollout(id: id))
        #expect(rollout.state == .halted)
        #expect(rollout.reason?.contains("probes regressed after 1.9.0 started: p95 100 ms on") == true, "\(rollout.reason ?? "")")
        #expect(rollout.reason?.contains("vs baseline 20 ms (5.0×, fleet); rolled back to 1.8.3") == true, "\(rollout.reason ?? "")")
        #expect(canary.allSatisfy { rollout.sites[$0]?.phase == .rolledBack })
        // The same slow probes under on-failure: the canary is not judged by probes.
        let plain = try await Harness(theaters: 40)
        let unjudged = DeploymentService(store: plain.store, clock: plain.clock, probes: LocalProbeAPI(store: plain.store, clock: plain.clock)) { _ in
        }
        _ = try await unjudged.apply(try Self.specs("hvac-monitor"), actor: "alice")
        try await unjudged.tick()
        try await plain.agentsRun()
        try await plain.store.recordProbes(accumulator)
        plain.clock.advance(by: 250)
        try await unjudged.tick()
        #expect(try await plain.store.rollouts().first?.state != .halted)
    }

    @Test func planExplainsWhereAndWhenWithoutWriting() async throws {
        let harness = try await Harness(theaters: 60)
        let plans = try await harness.service().plan(try SpecLoader.load(Self.examples))
        #expect(plans.map(\.application) == ["hvac-monitor", "kiosk-ticketing", "people-counter", "vision-analytics"])
        let vendor = try #require(plans.first { $0.application == "vision-analytics" })
        #expect(vendor.tenant == "visionary-analytics" && vendor.notAssigned > 0 && vendor.eligible < vendor.matching)
        let kiosk = try #require(plans.first { $0.application == "kiosk-ticketing" })
        #expect(kiosk.canary.count == 3 && kiosk.windows == ["mon,tue,wed,thu 02:00–10:00", "fri,sat,sun 03:00–09:00"])
        #expect(kiosk.estimatedDuration > 0 && kiosk.action == "new rollout of 5.13.0")
        #expect(try await harness.store.rollouts().isEmpty)
    }

    @Test func theSchedulerSpreadsReplicasAndRefusesWhatDoesNotFit() throws {
        let hosts = (1...3).map { index in
            EdgeHost(
                id: "s-h\(index)", serialNumber: "S\(index)", hostname: "s-h\(index)", siteID: "s", clusterID: "s-c1", osName: "Debian",
                osVersion: "12", kernelRelease: "6.1", runtimeName: "containerd", runtimeVersion: "1.7", agentVersion: "1", cpuCores: 4,
                memoryBytes: 8 << 30, diskBytes: 100 << 30, status: .online, lastSeen: nil)
        }
        let kiosk = try #require(try Self.specs("kiosk-ticketing").applications.first)
        let placed = try SiteScheduler.place(
            kiosk, on: hosts.map { .init(host: $0, free: .init(cpu: 4, memoryBytes: 8 << 30, storageBytes: 100 << 30)) }, now: Fixtures.now)
        let api = placed.filter { $0.service == "api" }
        #expect(api.count == 2 && Set(api.map(\.hostID)).count == 2)
        #expect(placed.first { $0.service == "printer-bridge" }.map { !api.map(\.hostID).contains($0.hostID) } == true)
        let tight = hosts.map { SiteScheduler.Candidate(host: $0, free: .init(cpu: 0.2, memoryBytes: 8 << 30, storageBytes: 100 << 30)) }
        #expect(throws: SiteScheduler.Unschedulable.self) { try SiteScheduler.place(kiosk, on: tight, now: Fixtures.now) }
        // A host going offline: its replicas land on the remaining hosts.
        let two = try SiteScheduler.place(
            kiosk, on: hosts.prefix(2).map { .init(host: $0, free: .init(cpu: 4, memoryBytes: 8 << 30, storageBytes: 100 << 30)) }, now: Fixtures.now)
        #expect(Set(two.map(\.hostID)) == ["s-h1", "s-h2"] && two.count == placed.count)
    }

    @Test func containersMoveOffOfflineAndCordonedHostsAndStayWhenTheSiteIsDown() async throws {
        let harness = try await Harness()
        let service = harness.service()
        _ = try await service.reschedule()  // the generated fleet starts with a few hosts down
        #expect(try await harness.store.displacedContainers(offlineBefore: harness.clock.now()).isEmpty)
        let store = harness.store
        // A site whose three hosts are online and run containers.
        let hosts = try await harness.database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT h.siteID AS siteID, h.id AS id FROM host h WHERE h.siteID IN (
                      SELECT siteID FROM host GROUP BY siteID HAVING SUM(status = 'online') = 3)
                    AND EXISTS (SELECT 1 FROM containerInstance c WHERE c.hostID = h.id) ORDER BY h.siteID, h.id
                    """)
        }
        let siteID: String = try #require(hosts.first)["siteID"]
        let siteHosts = hosts.filter { $0["siteID"] == siteID }.map { $0["id"] as String }
        func containers() async throws -> [ContainerInstance] {
            try await harness.database.writer.read { db in
                try ContainerInstance.fetchAll(
                    db, sql: "SELECT * FROM containerInstance WHERE hostID IN (SELECT id FROM host WHERE siteID = ?) ORDER BY id", arguments: [siteID]
                )
            }
        }
        func setStatus(_ host: String, _ status: HostStatus, lastSeen: Date? = nil) async throws {
            try await harness.database.writer.write { db in
                try db.execute(
                    sql: "UPDATE host SET status = ?, lastSeen = coalesce(?, lastSeen) WHERE id = ?", arguments: [status.rawValue, lastSeen, host])
            }
        }
        let before = try await containers()
        let victim = try #require(before.first?.hostID)
        harness.changed.withLock { $0 = [] }

        // Offline for a minute (a reboot): nothing moves yet.
        try await setStatus(victim, .offline, lastSeen: harness.clock.now().addingTimeInterval(-60))
        #expect(try await service.reschedule() == 0)
        try await setStatus(victim, .offline, lastSeen: harness.clock.now().addingTimeInterval(-301))
        let moved = try await service.reschedule()
        let after = try await containers()
        #expect(moved == before.filter { $0.hostID == victim }.count && moved > 0)
        #expect(!after.contains { $0.hostID == victim })
        #expect(after.count == before.count)
        // What was on good hosts stays, with its state.
        for kept in before where kept.hostID != victim { #expect(after.contains(kept)) }
        #expect(harness.changed.withLock { $0 }.contains(victim))
        let events = try await store.events(EventQuery(limit: 20))
        let event = try #require(events.first { $0.kind == "container.rescheduled" })
        #expect(event.message.contains("\(victim) (offline)") && event.subject == "site/\(siteID)")
        #expect(try await service.reschedule() == 0)

        // Cordoning a second host moves its instances to the third, make before break: replacements
        // start there while the cordoned host's keep running, which stop only once those run.
        let second = try #require(siteHosts.first { $0 != victim })
        let onSecond = try await containers().filter { $0.hostID == second }
        try await setStatus(second, .cordoned)
        _ = try await service.reschedule()
        let third = Set(siteHosts).subtracting([victim, second])
        let during = try await containers()
        if !onSecond.isEmpty {
            #expect(Set(during.filter { $0.hostID == second }.map(\.id)) == Set(onSecond.map(\.id)))
            #expect(during.contains { third.contains($0.hostID) && $0.state == .created })
            // Nothing changes while the replacements start.
            #expect(try await service.reschedule() == 0)
            #expect(try await containers() == during)
        }
        try await harness.database.writer.write { db in try db.execute(sql: "UPDATE containerInstance SET state = 'running' WHERE state = 'created'")
        }
        _ = try await service.reschedule()
        #expect(Set(try await containers().map(\.hostID)).isSubset(of: third))
        #expect(
            try await harness.store.events(EventQuery(limit: 20)).contains {
                $0.kind == "container.rescheduled" && $0.message.contains("stop once they run")
            } || onSecond.isEmpty)

        // The last host down: the site is offline, nothing moves, nothing is lost.
        let remaining = try await containers()
        for host in third { try await setStatus(host, .offline, lastSeen: harness.clock.now().addingTimeInterval(-3_600)) }
        #expect(try await service.reschedule() == 0)
        #expect(try await containers() == remaining)
    }

    @Test func anApplicationThatNoLongerFitsIsReportedOnceAndStaysPut() async throws {
        let harness = try await Harness()
        let service = harness.service()
        _ = try await service.reschedule()
        let (siteID, victim): (String, String) = try await harness.database.writer.write { db in
            let row = try #require(
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT h.siteID AS siteID, h.id AS id FROM host h WHERE h.status = 'online'
                        AND EXISTS (SELECT 1 FROM containerInstance c WHERE c.hostID = h.id) ORDER BY h.id LIMIT 1
                        """))
            let siteID: String = row["siteID"]
            try db.execute(sql: "UPDATE host SET memoryBytes = 1 WHERE siteID = ?", arguments: [siteID])
            return (siteID, row["id"])
        }
        try await harness.database.writer.write { db in try db.execute(sql: "UPDATE host SET status = 'cordoned' WHERE id = ?", arguments: [victim]) }
        #expect(try await service.reschedule() == 0)
        #expect(try await service.reschedule() == 0)
        let events = try await harness.store.events(EventQuery(limit: 50)).filter { $0.kind == "container.unschedulable" }
        #expect(events.count >= 1 && events.allSatisfy { $0.subject == "site/\(siteID)" && $0.message.contains("no host has room") })
        let apps = Set(try await harness.store.displacedContainers(offlineBefore: harness.clock.now()).map(\.container.app))
        #expect(events.count == apps.count)
    }
}
