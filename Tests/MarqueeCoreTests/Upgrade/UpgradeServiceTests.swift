import Foundation
import GRDB
import MarqueeCore
import MarqueeTestSupport
import Testing

/// The upgrade service on a real SQLite store and a virtual clock: plans parse with positions,
/// steps land in the store (status, orders in the desired state), and a restart resumes in place.
@Suite struct UpgradeServiceTests {
    static let planYAML = """
        apiVersion: marquee/v1
        kind: UpgradePlan
        name: containerd-2.0.1-se
        targets:
          runtime: 2.0.1
        select: country == SE
        canary: {sites: 1}
        waves: {sites-in-parallel: 5}
        gates: {healthy-for: 1m, host-timeout: 20m}
        """

    @Test func badPlansAreRejectedWithFileLineAndField() {
        let (plan, problems) = UpgradePlanParser.parse(
            yaml: """
                apiVersion: marquee/v1
                kind: UpgradePlan
                name: Bad_Name
                targets: {kernal: 6.1.0-20-amd64}
                select: country ==
                gates: {probe-factor: 0.5}
                """, file: "plans/bad.yaml")
        #expect(plan == nil)
        let lines = problems.map { "\($0.line):\($0.path)" }
        #expect(
            lines.contains("3:name") && lines.contains("4:targets.kernal") && lines.contains("5:select") && lines.contains("6:gates.probe-factor"))
        #expect(problems.first { $0.path == "targets.kernal" }?.message.contains("did you mean `kernel`?") == true)
        let good = try? UpgradePlanParser.plan(yaml: Self.planYAML, file: "plan.yaml")
        #expect(good?.targets == UpgradeTargets(runtime: "2.0.1") && good?.gates.healthyFor == 60 && good?.canary != nil)
    }

    @Test func aPlanChangedByAnotherProcessIsSeenAtOnce() async throws {
        // Two stores on one database file: the tower's (which keeps decoded plans) and a CLI's.
        let directory = try TemporaryDirectory(prefix: "marquee-upgrade-cache")
        defer { directory.remove() }
        let path = directory.file("fleet.db")
        let database = try FleetDatabase.open(at: path, create: true)
        let tower = SQLiteFleetStore(database)
        try await tower.replaceFleet(with: Fixtures.fleet(theaters: 30))
        let clock = ManualClock()
        try await database.writer.write { db in try db.execute(sql: "UPDATE host SET status = 'online', lastSeen = ?", arguments: [clock.now()]) }
        let plan = try UpgradePlanParser.plan(yaml: Self.planYAML, file: "plan.yaml")
        let service = UpgradeService(store: tower, clock: clock, heartbeat: 10) { _ in }
        try await service.start(plan, actor: "test")
        try await service.tick()
        let ticked = try #require(try await tower.upgrade(name: plan.name))
        #expect(try await tower.upgrade(name: plan.name) == ticked)

        let cli = SQLiteFleetStore(try FleetDatabase.open(at: path))
        let paused = try await UpgradeService(store: cli, clock: clock, heartbeat: 10) { _ in }.command(.pause, name: plan.name, actor: "cli")
        #expect(paused.state == .paused)
        #expect(try await tower.upgrade(name: plan.name)?.state == .paused)
        #expect(try await tower.workingUpgrades().map(\.state) == [.paused])
        clock.advance(by: 10)
        try await service.tick()
        #expect(try await tower.upgrade(name: plan.name)?.state == .paused)
    }

    @Test func aRestartedTowerResumesThePlanAtTheStepItWasAt() async throws {
        let database = try FleetDatabase.inMemory()
        let store = SQLiteFleetStore(database)
        try await store.replaceFleet(with: Fixtures.fleet(theaters: 60))
        let clock = ManualClock()
        try await database.writer.write { db in try db.execute(sql: "UPDATE host SET status = 'online', lastSeen = ?", arguments: [clock.now()]) }
        func service() -> UpgradeService {
            UpgradeService(store: store, clock: clock, heartbeat: 10) { hosts in
                _ = try await store.bumpDesiredRevision(hostIDs: hosts, at: clock.now())
            }
        }
        let plan = try UpgradePlanParser.plan(yaml: Self.planYAML, file: "plan.yaml")
        let dryRun = try await service().dryRun(plan)
        #expect(dryRun.sites > 0 && dryRun.waves.first?.isCanary == true && dryRun.estimatedSeconds > 0)
        let started = try await service().start(plan, actor: "test")
        await #expect(throws: UpgradeError.alreadyRunning(plan.name, .running)) { try await service().start(plan, actor: "test") }
        let canary = try #require(started.waves.first?.first)

        try await service().tick()
        var site = try #require(try await store.upgrade(name: plan.name)?.sites[canary])
        let host = try #require(site.host)
        #expect(site.step == .cordon && site.phase == .upgrading)
        #expect(try await store.host(id: host)?.status == .cordoned)

        // A new service on the same store (a restarted tower) carries on from the stored step.
        clock.advance(by: 10)
        try await service().tick()
        site = try #require(try await store.upgrade(name: plan.name)?.sites[canary])
        #expect(site.host == host && site.step == .drain)

        // The instances moved away: the host is told to upgrade through its desired state.
        try await database.writer.write { db in try db.execute(sql: "DELETE FROM containerInstance WHERE hostID = ?", arguments: [host]) }
        clock.advance(by: 10)
        try await service().tick()
        #expect(try await store.upgrade(name: plan.name)?.sites[canary]?.step == .upgrade)
        #expect(try await store.host(id: host)?.status == .upgrading)
        #expect(try await store.upgradeOrder(hostID: host)?.targets == UpgradeTargets(runtime: "2.0.1"))

        // It reboots and calls home with the new runtime: uncordoned, order cleared, gate.
        clock.advance(by: 120)
        try await database.writer.write { db in
            try db.execute(sql: "UPDATE host SET runtimeVersion = '2.0.1', lastSeen = ? WHERE id = ?", arguments: [clock.now(), host])
            try db.execute(sql: "UPDATE host SET lastSeen = ? WHERE id != ?", arguments: [clock.now(), host])
        }
        try await service().tick()
        site = try #require(try await store.upgrade(name: plan.name)?.sites[canary])
        #expect(site.step == .gate)
        #expect(try await store.host(id: host)?.status == .online)
        #expect(try await store.upgradeOrder(hostID: host) == nil)
        let kinds = try await store.events(EventQuery(limit: 20)).map(\.kind)
        #expect(kinds.contains("host.cordoned") && kinds.contains("host.upgrading") && kinds.contains("upgrade.host_rejoined"))

        // Pause, resume, abort; commands that do not apply are refused.
        #expect(try await service().command(.pause, name: plan.name, actor: "op").state == .paused)
        await #expect(throws: UpgradeError.cannot("pause", plan.name, .paused)) { try await service().command(.pause, name: plan.name, actor: "op") }
        #expect(try await service().command(.resume, name: plan.name, actor: "op").state == .running)
        #expect(try await service().command(.abort, name: plan.name, actor: "op").state == .aborted)
    }
}
