import Foundation
import MarqueeConsole
import MarqueeCore
import MarqueeTestSupport
import Testing

/// `u` lists upgrade plans, Enter shows a plan's theaters with the host in flight and its step;
/// `p`/`x` steer it after confirmation and `:upgrade start FILE` starts one once its name is typed.
@Suite struct UpgradeViewTests {
    @Test func theUpgradesViewShowsEachTheatersHostAndStepAndSteersThePlan() async throws {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        try await store.replaceFleet(with: ConsoleFixture.fleet)
        let now = Fixtures.now
        let clock = ManualClock()
        let upgrades = UpgradeService(store: store, clock: clock, heartbeat: 10) { _ in }
        let plan = try UpgradePlanParser.plan(
            yaml: """
                apiVersion: marquee/v1
                kind: UpgradePlan
                name: containerd-2.0.1-se
                targets: {runtime: 2.0.1}
                select: country == SE
                canary: {sites: 1}
                """, file: "plan.yaml")
        let started = try await upgrades.start(plan, actor: "test")
        try await upgrades.tick()
        let canary = try #require(started.waves.first?.first)
        let inFlight = try #require(try await store.upgrade(name: plan.name)?.sites[canary]?.host)

        let api = LocalFleetAPI(inventory: store, events: store, now: { now })
        var state = try await ConsoleRenderer.state(
            api: api, upgrades: upgrades, view: .countries, width: 160, height: 40, readOnly: false, now: now)
        let total = try #require(state.data?.upgrades.first?.hostProgress.total)
        #expect(ConsoleFixture.text(state).contains("upgrade containerd-2.0.1-se 0/\(total)"))

        _ = ConsoleFixture.type("u", into: &state)
        #expect(state.screen.kind == .upgrades)
        #expect(ConsoleFixture.text(state).contains("\(inFlight) cordon"))
        _ = ConsoleFixture.type("<enter>", into: &state)
        #expect(state.screen.kind == .upgrade(plan.name))
        let text = ConsoleFixture.text(state)
        #expect(text.contains(canary) && text.contains(inFlight) && text.contains("[CORDON] › drain › upgrade › gate"), "\(text)")

        // p asks before pausing; x asks for the plan's name before aborting.
        _ = ConsoleFixture.type("p", into: &state)
        guard case .confirm(let dialog, let action) = state.mode else {
            Issue.record("p did not ask for confirmation")
            return
        }
        #expect(dialog.title == "Pause containerd-2.0.1-se?" && action == .upgradeCommand(plan.name, .pause))
        _ = ConsoleFixture.type("<escape>", into: &state)
        _ = ConsoleFixture.type("x", into: &state)
        guard case .confirm(let abort, .upgradeCommand(_, .abort)) = state.mode else {
            Issue.record("x did not ask to abort")
            return
        }
        #expect(abort.typedConfirmation == plan.name)
        _ = ConsoleFixture.type("<escape>", into: &state)

        // Enter on a theater opens it.
        state.screen.cursor = try #require((0..<state.table.count).first { state.table.row(at: $0)?.id == canary })
        #expect(ConsoleFixture.type("<enter>", into: &state) == [.loadSiteDetail(canary)])

        // :upgrade start FILE reads the plan and asks for its name.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-plan-\(UUID().uuidString).yaml").path
        try "apiVersion: marquee/v1\nkind: UpgradePlan\nname: kernel-6.1.0-20\ntargets: {kernel: 6.1.0-20-amd64}\nselect: country == DE\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        _ = ConsoleFixture.type(":upgrade start \(file)<enter>", into: &state)
        guard case .confirm(let start, .startUpgrade(let spec)) = state.mode else {
            Issue.record(":upgrade start did not ask for confirmation: \(state.flash.map(\.text) ?? "")")
            return
        }
        #expect(start.typedConfirmation == "kernel-6.1.0-20" && spec.path == file)
    }
}
