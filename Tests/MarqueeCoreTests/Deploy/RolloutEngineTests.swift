import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

/// The rollout state machine on a virtual clock: no store, no sleeps.
@Suite struct RolloutEngineTests {
    static let stockholm = TimeZone(identifier: "Europe/Stockholm")!

    static func rollout(canary: [String] = [], waves: [[String]], policy: RolloutPolicy = RolloutPolicy(healthyFor: 300, deadline: 1_200)) -> Rollout
    {
        Rollout(
            id: "pc-2.5.0", application: "pc", tenantID: "t", version: "2.5.0", policy: policy, waves: canary.isEmpty ? waves : [canary] + waves,
            hasCanary: !canary.isEmpty, previousVersions: Dictionary(uniqueKeysWithValues: (canary + waves.flatMap { $0 }).map { ($0, "2.4.1") }),
            expectedContainersPerSite: 1, createdAt: Fixtures.now, actor: "test")
    }

    /// A world where each site runs one container of the app at some version and state.
    struct World {
        var online: Set<String>
        var containers: [String: ContainerInstance] = [:]

        init(sites: [String]) {
            online = Set(sites)
            for site in sites { set(site, version: "2.4.1", .running) }
        }

        mutating func set(_ site: String, version: String, _ state: ContainerInstance.State, detail: String? = nil) {
            containers[site] = ContainerInstance(
                id: "\(site)-h1/pc/counter-0", app: "pc", service: "counter", tenantID: "t", hostID: "\(site)-h1", runtimeInstanceID: "",
                image: "pc:\(version)", version: version, state: state, restarts: 0, startedAt: nil, detail: detail)
        }

        /// Applies deploy actions the way an agent would: the new version starts.
        mutating func perform(_ actions: [RolloutAction], then state: ContainerInstance.State = .starting) {
            for case .deploy(let site, let version) in actions {
                if let version { set(site, version: version, state) } else { containers[site] = nil }
            }
        }

        func observations(zone: TimeZone = .gmt) -> [String: SiteObservation] {
            Dictionary(
                uniqueKeysWithValues: containers.keys.map {
                    ($0, SiteObservation(siteID: $0, timeZone: zone, online: online.contains($0), containers: containers[$0].map { [$0] } ?? []))
                })
        }
    }

    @Test func aLockedDownSiteIsFrozenAndDoesNotHoldTheWave() {
        var rollout = Self.rollout(waves: [["a", "b"], ["c"]])
        let world = World(sites: ["a", "b", "c"])
        var observations = world.observations()
        observations["b"]?.lockedDown = true
        let actions = RolloutEngine.advance(&rollout, observations: observations, now: Fixtures.now)
        #expect(actions.contains(.deploy(siteID: "a", version: "2.5.0")) && !actions.contains(.deploy(siteID: "b", version: "2.5.0")))
        #expect(rollout.sites["b"]?.phase == .offline && rollout.sites["b"]?.reason?.contains("locked down") == true)
        // Unlocked, it is started like any site that comes back.
        observations["b"]?.lockedDown = false
        let later = RolloutEngine.advance(&rollout, observations: observations, now: Fixtures.now.addingTimeInterval(5))
        #expect(later.contains(.deploy(siteID: "b", version: "2.5.0")))
    }

    @Test func aHealthySiteSucceedsOnlyAfterHealthyForAndWavesFollowInOrder() {
        var rollout = Self.rollout(waves: [["a", "b"], ["c"]])
        var world = World(sites: ["a", "b", "c"])
        let clock = ManualClock()
        var actions = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(actions.contains(.deploy(siteID: "a", version: "2.5.0")) && actions.contains(.deploy(siteID: "b", version: "2.5.0")))
        #expect(!actions.contains(.deploy(siteID: "c", version: "2.5.0")))
        #expect(rollout.state == .waves && rollout.sites["a"]?.phase == .progressing)
        world.perform(actions, then: .running)
        clock.advance(by: 60)
        _ = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        clock.advance(by: 299)
        _ = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(rollout.sites["a"]?.phase == .progressing && rollout.currentWave == 0)
        clock.advance(by: 1)
        actions = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(rollout.sites["a"]?.phase == .succeeded && rollout.sites["a"]?.reason == "healthy for 5m")
        #expect(rollout.currentWave == 1 && actions.contains { if case .event("rollout.wave", _, _, _) = $0 { true } else { false } })
        actions = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(actions.contains(.deploy(siteID: "c", version: "2.5.0")))
        world.perform(actions, then: .running)
        _ = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        clock.advance(by: 300)
        _ = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(rollout.state == .completed && rollout.counts[.succeeded] == 3)
    }

    @Test func aFailingCanaryHaltsTheRolloutRollsTheCanaryBackAndSaysWhy() {
        var rollout = Self.rollout(canary: ["a", "x"], waves: [["b", "c"]])
        var world = World(sites: ["a", "b", "c", "x"])
        let clock = ManualClock()
        let actions = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(rollout.state == .canary && actions.contains(.deploy(siteID: "a", version: "2.5.0")))
        world.perform(actions)
        clock.advance(by: 30)
        world.set("a", version: "2.5.0", .failed, detail: "exited with status 1 (3 restarts)")
        let halt = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(halt.contains(.deploy(siteID: "a", version: "2.4.1")))
        #expect(rollout.state == .halted)
        #expect(rollout.sites["a"]?.phase == .rolledBack)
        #expect(
            rollout.reason
                == "canary failed at a: host a-h1: container pc/counter-0 failed: exited with status 1 (3 restarts); rolled back to 2.4.1")
        #expect(rollout.sites["b"]?.phase == .skipped && rollout.sites["c"]?.phase == .skipped)
        // A halted rollout starts nothing more, but still watches the canary site it had started:
        // when that one fails too, it goes back as well.
        #expect(rollout.sites["x"]?.phase == .progressing)
        #expect(RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now()).isEmpty)
        world.set("x", version: "2.5.0", .failed, detail: "exited with status 1 (3 restarts)")
        let second = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(second.contains(.deploy(siteID: "x", version: "2.4.1")) && rollout.sites["x"]?.phase == .rolledBack)
        #expect(rollout.state == .halted && rollout.sites["b"]?.phase == .skipped)
    }

    @Test func moreFailuresThanMaxFailedHaltAndAutoRollbackOffLeavesTheVersion() {
        var rollout = Self.rollout(waves: [["a", "b", "c"], ["d"]], policy: RolloutPolicy(maxFailed: 1, autoRollback: .off))
        var world = World(sites: ["a", "b", "c", "d"])
        let clock = ManualClock()
        world.perform(RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now()))
        world.set("a", version: "2.5.0", .failed, detail: "OOM killed")
        var actions = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(rollout.state == .waves && rollout.sites["a"]?.phase == .failed && !actions.contains { if case .deploy = $0 { true } else { false } })
        world.set("b", version: "2.5.0", .failed, detail: "OOM killed")
        actions = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(rollout.state == .halted)
        #expect(rollout.reason?.hasPrefix("2 sites failed, more than max-failed 1; first: a: host a-h1") == true)
        #expect(rollout.sites["d"]?.phase == .skipped)
    }

    @Test func aSiteThatNeverGetsHealthyFailsAtTheDeadlineWithWhatItWasWaitingFor() {
        var rollout = Self.rollout(waves: [["a"]], policy: RolloutPolicy(deadline: 600, maxFailed: 5))
        var world = World(sites: ["a"])
        let clock = ManualClock()
        world.perform(RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now()))
        world.set("a", version: "2.5.0", .unhealthy, detail: "readiness /health: 503")
        clock.advance(by: 599)
        _ = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(rollout.sites["a"]?.reason == "host a-h1: container pc/counter-0 is unhealthy (readiness /health: 503)")
        clock.advance(by: 1)
        let actions = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(rollout.sites["a"]?.phase == .rolledBack && actions.contains(.deploy(siteID: "a", version: "2.4.1")))
        #expect(rollout.sites["a"]?.reason?.hasPrefix("not healthy within 10m: host a-h1: container pc/counter-0 is unhealthy") == true)
        #expect(rollout.state == .completed)
    }

    @Test func offlineSitesStayPendingNeverFailedAndGetTheVersionWhenTheyReturn() {
        var rollout = Self.rollout(waves: [["a", "b"]])
        var world = World(sites: ["a", "b"])
        world.online = ["a"]
        let clock = ManualClock()
        world.perform(RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now()), then: .running)
        #expect(rollout.sites["b"]?.phase == .offline)
        _ = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        clock.advance(by: 300)
        _ = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(rollout.state == .completed && rollout.failedCount == 0 && rollout.summary.contains("1 pending (offline)"))
        clock.advance(by: 86_400)
        world.online = ["a", "b"]
        let actions = RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now())
        #expect(actions == [.deploy(siteID: "b", version: "2.5.0")] && rollout.sites["b"]?.phase == .progressing)
    }

    @Test func maintenanceWindowsDelayASiteUntilTheyOpenInItsLocalTime() {
        let window = MaintenanceWindow(days: Array(1...7), from: 2 * 60, to: 10 * 60)
        var rollout = Self.rollout(waves: [["a"]], policy: RolloutPolicy(windows: [window]))
        let world = World(sites: ["a"])
        // Fixtures.now is 02:00 UTC = 03:00 in Stockholm: open. Start at 12:00 UTC instead.
        let clock = ManualClock(Fixtures.now.addingTimeInterval(10 * 3_600))
        var actions = RolloutEngine.advance(&rollout, observations: world.observations(zone: Self.stockholm), now: clock.now())
        #expect(actions.allSatisfy { if case .deploy = $0 { false } else { true } })
        #expect(
            rollout.sites["a"]?.phase == .waitingForWindow
                && rollout.sites["a"]?.reason == "outside its maintenance windows; next opens Sun 02:00 local")
        clock.advance(by: 13 * 3_600)  // 01:00 UTC = 02:00 local
        actions = RolloutEngine.advance(&rollout, observations: world.observations(zone: Self.stockholm), now: clock.now())
        #expect(actions.contains(.deploy(siteID: "a", version: "2.5.0")))
    }

    @Test func operatorCommandsPauseResumeAbortAndRollBack() throws {
        var rollout = Self.rollout(waves: [["a"], ["b"]])
        var world = World(sites: ["a", "b"])
        let clock = ManualClock()
        _ = try RolloutEngine.apply(.pause, to: &rollout, actor: "alice", now: clock.now())
        #expect(
            RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now()).allSatisfy {
                if case .deploy = $0 { false } else { true }
            })
        _ = try RolloutEngine.apply(.resume, to: &rollout, actor: "alice", now: clock.now())
        world.perform(RolloutEngine.advance(&rollout, observations: world.observations(), now: clock.now()), then: .running)
        let back = try RolloutEngine.apply(.rollback, to: &rollout, actor: "alice", now: clock.now())
        #expect(back.contains(.deploy(siteID: "a", version: "2.4.1")) && rollout.state == .rolledBack)
        #expect(rollout.sites["a"]?.phase == .reverted && rollout.sites["b"]?.phase == .skipped)
        #expect(throws: RolloutCommandError.self) { try RolloutEngine.apply(.resume, to: &rollout, actor: "alice", now: clock.now()) }
    }

    @Test func aSiteAlreadyRunningTheVersionSucceedsWithoutARestart() {
        var rollout = Self.rollout(waves: [["a"]])
        var world = World(sites: ["a"])
        world.set("a", version: "2.5.0", .running)
        let actions = RolloutEngine.advance(&rollout, observations: world.observations(), now: Fixtures.now)
        #expect(!actions.contains(.deploy(siteID: "a", version: "2.5.0")))
        #expect(rollout.sites["a"]?.phase == .succeeded && rollout.state == .completed)
    }
}
