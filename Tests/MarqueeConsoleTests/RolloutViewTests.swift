import Foundation
import GRDB
import MarqueeConsole
import MarqueeCore
import MarqueeTestSupport
import Testing

/// The apps and rollouts views on a fleet where a canary failed: the console says why, and the
/// write-mode actions ask before they act.
@Suite struct RolloutViewTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples").standardized.path

    struct World {
        let api: LocalFleetAPI<SQLiteFleetStore, SQLiteFleetStore>
        let deployments: LocalDeploymentAPI
    }

    /// hvac-monitor 1.9.0 applied, its canary sites' containers crash, the rollout halts.
    static let world = Task {
        let database = try FleetDatabase.inMemory()
        let store = SQLiteFleetStore(database)
        try await store.replaceFleet(with: ConsoleFixture.fleet)
        let clock = ManualClock()
        let service = DeploymentService(store: store, clock: clock) { _ in }
        _ = try await service.apply(try SpecLoader.load("\(examples)/hvac-monitor.yaml"), actor: "alice")
        try await service.tick()
        try await database.writer.write { db in
            try db.execute(
                sql: """
                    UPDATE containerInstance SET state = 'failed', detail = 'exited with status 1 after 2s; crash-looping (3 restarts)'
                    WHERE state = 'created' AND version = '1.9.0'
                    """)
        }
        clock.advance(by: 90)
        try await service.tick()
        return World(
            api: LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now }),
            deployments: LocalDeploymentAPI(service: service, store: store))
    }

    static func state(view: ScreenKind, readOnly: Bool = true, width: Int = 120, height: Int = 30) async throws -> ConsoleState {
        let world = try await world.value
        return try await ConsoleRenderer.state(
            api: world.api, deployments: world.deployments, view: view, width: width, height: height, readOnly: readOnly, now: Fixtures.now)
    }

    @Test func theRolloutsViewShowsTheHaltAndTheRolloutViewSaysWhyPerSite() async throws {
        var state = try await Self.state(view: .rollouts)
        let row = try #require(state.table.row(at: 0))
        #expect(row.id == "hvac-monitor-1.9.0")
        #expect(ConsoleFixture.text(state).contains("halted"))
        #expect(ConsoleFixture.type("<enter>", into: &state) == [.loadRollout("hvac-monitor-1.9.0")])
        let world = try await Self.world.value
        _ = ConsoleApp.update(&state, .rolloutLoaded(try await world.deployments.rollout(id: "hvac-monitor-1.9.0")))
        let text = ConsoleFixture.text(state)
        #expect(text.contains("Reason    canary failed at"))
        #expect(text.contains("rolled-back"))
        #expect(text.contains("h1: hvac-monitor/monitor-0 failed: exited with status 1"))
        try ConsoleFixture.assertSnapshot(text, named: "rollout-halted-120x30")
        // Enter on a site opens the theater.
        let site = try #require(state.table.row(at: 0)?.id)
        #expect(ConsoleFixture.type("<enter>", into: &state) == [.loadSiteDetail(site)])
    }

    @Test func theAppsViewListsVersionsAndOpensTheLatestRollout() async throws {
        var state = try await Self.state(view: .apps, width: 160)
        let text = ConsoleFixture.text(state)
        #expect(text.contains("hvac-monitor") && text.contains("1.8.3×750") && text.contains("hvac-monitor-1.9.0 · halted"))
        let index = try #require((0..<state.table.count).first { state.table.row(at: $0)?.id == "hvac-monitor" })
        state.screen.cursor = index
        #expect(ConsoleFixture.type("<enter>", into: &state) == [.loadRollout("hvac-monitor-1.9.0")])
        #expect(state.screen.kind == .rollout("hvac-monitor-1.9.0"))
    }

    @Test func steeringARolloutNeedsWriteModeAndAConfirmation() async throws {
        var readOnly = try await Self.state(view: .rollouts)
        #expect(ConsoleFixture.type("b", into: &readOnly).isEmpty && readOnly.mode == .normal)

        var state = try await Self.state(view: .rollouts, readOnly: false)
        ConsoleFixture.type("p", into: &state)
        #expect(state.flash?.text == "hvac-monitor-1.9.0 is halted; only a rollback applies")
        ConsoleFixture.type("b<tab><enter>", into: &state)
        guard case .confirm(let dialog, .rolloutCommand("hvac-monitor-1.9.0", .rollback)) = state.mode else {
            Issue.record("expected the rollback dialog to wait for the typed id, got \(state.mode)")
            return
        }
        #expect(dialog.dangerous && ConsoleFixture.text(state).contains("Every site this rollout changed goes back"))
        #expect(ConsoleFixture.type("hvac-monitor-1.9.0<enter>", into: &state) == [.rolloutCommand("hvac-monitor-1.9.0", .rollback)])
    }
}
