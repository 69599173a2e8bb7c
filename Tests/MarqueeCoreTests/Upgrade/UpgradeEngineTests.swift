import Foundation
import MarqueeCore
import Testing

/// The upgrade state machine on a virtual timeline: a small world of sites applies the engine's
/// actions the way the tower, the rescheduler and the agents would.
@Suite struct UpgradeEngineTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T08:26:40Z
    static let heartbeat: TimeInterval = 10

    /// Sites, hosts and instances that react to the engine's actions.
    struct World {
        var hosts: [String: EdgeHost] = [:]
        var containers: [String: [ContainerInstance]] = [:]
        var timeZones: [String: TimeZone] = [:]
        /// Host ids per site, in order.
        var siteHosts: [String: [String]] = [:]
        /// Hosts rebooting, with when they come back (nil: never).
        var rebooting: [String: Date?] = [:]
        var neverReturns: Set<String> = []
        var regressedSites: Set<String> = []
        var lockedSites: Set<String> = []
        /// Apps whose instances never get past `failed`, wherever they are started.
        var crashing: Set<String> = []
        /// Every (site, host, step) the plan went through, in order.
        var log: [String] = []
        var now = UpgradeEngineTests.start

        init(sites: [(id: String, zone: String)]) {
            for site in sites {
                timeZones[site.id] = TimeZone(identifier: site.zone)!
                for index in 1...3 {
                    let id = "\(site.id)-h\(index)"
                    siteHosts[site.id, default: []].append(id)
                    hosts[id] = EdgeHost(
                        id: id, serialNumber: id, hostname: id, siteID: site.id, clusterID: "\(site.id)-c1", osName: "Debian", osVersion: "12",
                        kernelRelease: "6.1.0-18-amd64", runtimeName: "containerd", runtimeVersion: "1.7.13", agentVersion: "1.4.0", cpuCores: 8,
                        memoryBytes: 16 << 30, diskBytes: 500 << 30, status: .online, lastSeen: UpgradeEngineTests.start)
                    // A service with two replicas on h1 and h2, a singleton on h3.
                    let app = index == 3 ? "signage" : "kiosk"
                    containers[id] = [
                        ContainerInstance(
                            id: "\(id)/\(app)/\(app)-\(index - 1)", app: app, service: app, tenantID: "mtc", hostID: id, runtimeInstanceID: "r",
                            image: "\(app):1", state: .running, restarts: 0, startedAt: UpgradeEngineTests.start)
                    ]
                }
            }
        }

        func observations() -> [String: UpgradeSiteObservation] {
            var out: [String: UpgradeSiteObservation] = [:]
            for (siteID, zone) in timeZones {
                let ids = siteHosts[siteID] ?? []
                var siteContainers: [String: [ContainerInstance]] = [:]
                for id in ids { siteContainers[id] = containers[id] ?? [] }
                out[siteID] = UpgradeSiteObservation(
                    timeZone: zone, hosts: ids.compactMap { hosts[$0] }, containers: siteContainers,
                    probeRegression: regressedSites.contains(siteID) ? "kiosk: p95 48 ms vs baseline 12 ms (4.0×)" : nil,
                    lockedDown: lockedSites.contains(siteID))
            }
            return out
        }

        /// Instances at a site that are running, per app.
        func running(at siteID: String) -> [String: Int] {
            var counts: [String: Int] = [:]
            for host in siteHosts[siteID] ?? [] {
                for container in containers[host] ?? [] where container.state == .running { counts[container.app, default: 0] += 1 }
            }
            return counts
        }

        mutating func apply(_ actions: [UpgradeAction], targets: UpgradeTargets) {
            for action in actions {
                switch action {
                case .cordon(let id):
                    hosts[id]?.status = .cordoned
                    rebooting[id] = nil
                    log.append("\(id) cordon")
                case .orderUpgrade(let id):
                    hosts[id]?.status = .upgrading
                    rebooting[id] = neverReturns.contains(id) ? .some(nil) : now.addingTimeInterval(150)
                    log.append("\(id) upgrade")
                case .uncordon(let id):
                    hosts[id]?.status = .online
                    log.append("\(id) uncordon")
                case .event: break
                }
            }
            _ = targets
        }

        /// One heartbeat interval: agents call home, reboots finish, cordoned hosts drain make-before-break.
        mutating func step(targets: UpgradeTargets) {
            now = now.addingTimeInterval(UpgradeEngineTests.heartbeat)
            for (id, host) in hosts {
                if let back = rebooting[id] {
                    guard let back, now >= back else { continue }
                    hosts[id]!.runtimeVersion = targets.runtime ?? host.runtimeVersion
                    rebooting[id] = nil
                }
                hosts[id]!.lastSeen = now
            }
            // Drain: a replacement starts on a peer (created, running one step later), then the old one stops.
            for (id, host) in hosts where host.status == .cordoned {
                for old in containers[id] ?? [] {
                    let peers = (siteHosts[host.siteID] ?? []).filter { hosts[$0]?.status == .online }
                    guard let target = peers.first else { continue }
                    let replacementID = "\(target)/\(old.app)/\(old.id.split(separator: "/").last!)"
                    if let index = containers[target]?.firstIndex(where: { $0.id == replacementID }) {
                        if containers[target]![index].state == .running || crashing.contains(old.app) {
                            containers[id]!.removeAll { $0.id == old.id }
                        } else {
                            containers[target]![index].state = .running
                        }
                    } else {
                        var replacement = old
                        replacement.id = replacementID
                        replacement.hostID = target
                        replacement.state = crashing.contains(old.app) ? .failed : .created
                        containers[target, default: []].append(replacement)
                    }
                }
            }
        }
    }

    static func plan(
        canary: Int? = 1, parallel: Int = 2, maxFailed: Int = 0, windows: [MaintenanceWindow] = [], healthyFor: TimeInterval = 60
    ) -> UpgradePlan {
        UpgradePlan(
            name: "containerd-2.0.1", targets: UpgradeTargets(runtime: "2.0.1"), select: "has(screens)",
            canary: canary.map { CanaryPolicy(sites: .count($0), healthyFor: 0) }, waves: .sitesInParallel(parallel), windows: windows,
            gates: UpgradeGates(healthyFor: healthyFor, probeFactor: 1.5, drainTimeout: 600, hostTimeout: 900), maxFailed: maxFailed)
    }

    static func upgrade(_ plan: UpgradePlan, waves: [[String]], hasCanary: Bool = true) -> Upgrade {
        var sites: [String: SiteUpgrade] = [:]
        for (index, wave) in waves.enumerated() { for id in wave { sites[id] = SiteUpgrade(siteID: id, wave: index) } }
        return Upgrade(plan: plan, waves: waves, hasCanary: hasCanary, sites: sites, createdAt: start, actor: "test")
    }

    /// Runs until the plan stops changing state or `limit` steps; checks availability at every step.
    static func run(
        _ upgrade: inout Upgrade, in world: inout World, limit: Int = 2_000,
        until: (Upgrade, World) -> Bool = { u, _ in !u.state.isActive && !u.sites.values.contains { $0.host != nil } }
    ) {
        for _ in 0..<limit {
            let actions = UpgradeEngine.advance(&upgrade, observations: world.observations(), now: world.now, heartbeat: heartbeat)
            world.apply(actions, targets: upgrade.plan.targets)
            for siteID in world.timeZones.keys {
                // Never more than one host of a site out of service, and never a service at zero healthy.
                let out = (world.siteHosts[siteID] ?? []).compactMap { world.hosts[$0] }.filter { $0.status != .online }
                #expect(out.count <= 1 || upgrade.sites[siteID]?.phase == .halted, "\(siteID): \(out.map(\.id))")
                let running = world.running(at: siteID)
                #expect(running["kiosk", default: 0] >= 1 && running["signage", default: 0] >= 1, "\(siteID) at \(world.now): \(running)")
            }
            if until(upgrade, world) { return }
            world.step(targets: upgrade.plan.targets)
        }
    }

    @Test func eachSiteUpgradesOneHostAtATimeThroughEveryStepAndThePlanCompletes() {
        var world = World(sites: [("se-sto-001", "Europe/Stockholm"), ("se-sto-002", "Europe/Stockholm"), ("se-got-001", "Europe/Stockholm")])
        var upgrade = Self.upgrade(Self.plan(), waves: [["se-sto-001"], ["se-sto-002", "se-got-001"]])
        Self.run(&upgrade, in: &world)
        #expect(upgrade.state == .completed)
        #expect(upgrade.hostProgress == (9, 9))
        #expect(world.hosts.values.allSatisfy { $0.runtimeVersion == "2.0.1" && $0.status == .online })
        // Per host: cordon, upgrade, uncordon in order; per site strictly one host after another.
        for siteID in world.timeZones.keys {
            let steps = world.log.filter { $0.hasPrefix(siteID) }
            #expect(steps.count == 9)
            for index in stride(from: 0, to: steps.count, by: 3) {
                let host = steps[index].split(separator: " ")[0]
                #expect(steps[index..<index + 3].map { String($0) } == ["\(host) cordon", "\(host) upgrade", "\(host) uncordon"])
            }
        }
        // The canary finished before the wave after it started.
        let canaryDone = try! #require(upgrade.sites["se-sto-001"]?.finishedAt)
        #expect(upgrade.sites["se-sto-002"]!.startedAt! >= canaryDone)
    }

    @Test func anInstanceFailingBeforeTheUpgradeDoesNotBlockTheGateButOneTheUpgradeBreaksDoes() {
        // se-sto-001's menu board was crash-looping before the plan started: the gate asks for no
        // more failures than before, so the site completes.
        var world = World(sites: [("se-sto-001", "Europe/Stockholm")])
        world.crashing = ["menu"]
        world.containers["se-sto-001-h3", default: []].append(
            ContainerInstance(
                id: "se-sto-001-h3/menu/menu-0", app: "menu", service: "board", tenantID: "mtc", hostID: "se-sto-001-h3", runtimeInstanceID: "r",
                image: "menu:1", state: .failed, restarts: 12, startedAt: Self.start))
        var upgrade = Self.upgrade(Self.plan(canary: nil), waves: [["se-sto-001"]], hasCanary: false)
        Self.run(&upgrade, in: &world)
        #expect(upgrade.state == .completed && upgrade.hostProgress == (3, 3), "\(upgrade.sites["se-sto-001"]?.reason ?? "")")
        #expect(upgrade.sites["se-sto-001"]?.notRunningBefore == ["menu/board": 1])

        // At se-sto-002 the menu board ran before; after the first host's upgrade it fails wherever
        // it starts: the gate holds, then halts the site naming the service.
        var broken = World(sites: [("se-sto-002", "Europe/Stockholm")])
        broken.containers["se-sto-002-h1", default: []].append(
            ContainerInstance(
                id: "se-sto-002-h1/menu/menu-0", app: "menu", service: "board", tenantID: "mtc", hostID: "se-sto-002-h1", runtimeInstanceID: "r",
                image: "menu:1", state: .running, restarts: 0, startedAt: Self.start))
        broken.crashing = ["menu"]
        var second = Self.upgrade(Self.plan(canary: nil), waves: [["se-sto-002"]], hasCanary: false)
        Self.run(&second, in: &broken)
        let site = second.sites["se-sto-002"]!
        #expect(site.phase == .halted && second.state == .halted)
        #expect(site.reason?.contains("instances not running at the site: menu/board: 1 not running (0 before)") == true, "\(site.reason ?? "")")
    }

    @Test func theETAIsTheRemainingWavesAtTheMeasuredPacePerHost() {
        var world = World(sites: [("se-sto-001", "Europe/Stockholm"), ("se-sto-002", "Europe/Stockholm"), ("se-got-001", "Europe/Stockholm")])
        var upgrade = Self.upgrade(Self.plan(), waves: [["se-sto-001"], ["se-sto-002", "se-got-001"]])
        for siteID in world.timeZones.keys { upgrade.sites[siteID]?.hosts = world.siteHosts[siteID] ?? [] }
        // Before any host is done: the dry run's assumption, for the canary's 3 hosts and then the wave's 3.
        let assumed = UpgradeDryRun.drainEstimate + UpgradeDryRun.installEstimate + 60
        #expect(upgrade.secondsPerHost == assumed && upgrade.estimatedSecondsLeft == 6 * assumed)
        #expect(upgrade.etaDescription == "ETA \(RelativeDuration.format(6 * assumed))")

        Self.run(&upgrade, in: &world) { upgrade, _ in upgrade.sites["se-sto-001"]?.phase == .done }
        let canary = upgrade.sites["se-sto-001"]!
        let measured = canary.finishedAt!.timeIntervalSince(canary.startedAt!) / 3
        #expect(abs(upgrade.secondsPerHost - measured) < 0.001)
        #expect(abs((upgrade.estimatedSecondsLeft ?? 0) - 3 * measured) < 0.001)

        upgrade.state = .paused
        #expect(upgrade.estimatedSecondsLeft == nil && upgrade.etaDescription == nil)
        upgrade.state = .running
        Self.run(&upgrade, in: &world)
        #expect(upgrade.state == .completed && upgrade.estimatedSecondsLeft == nil)
    }

    @Test func aLockedDownSiteStartsNoHostUntilItIsUnlocked() {
        var world = World(sites: [("se-sto-001", "Europe/Stockholm")])
        world.lockedSites = ["se-sto-001"]
        var upgrade = Self.upgrade(Self.plan(canary: nil), waves: [["se-sto-001"]], hasCanary: false)
        Self.run(&upgrade, in: &world, limit: 50) { _, _ in false }
        #expect(world.log.isEmpty)
        #expect(upgrade.sites["se-sto-001"]?.reason?.contains("locked down") == true && upgrade.state == .running)
        world.lockedSites = []
        Self.run(&upgrade, in: &world)
        #expect(upgrade.state == .completed && world.log.count == 9)
    }

    @Test func aHostThatNeverReturnsHaltsItsSiteWhichKeepsServingAndPastMaxFailedThePlan() {
        var world = World(sites: [("de-ber-001", "Europe/Berlin"), ("de-ber-002", "Europe/Berlin"), ("de-muc-001", "Europe/Berlin")])
        world.neverReturns = ["de-ber-001-h1"]
        var upgrade = Self.upgrade(
            Self.plan(canary: nil, parallel: 1, maxFailed: 0), waves: [["de-ber-001"], ["de-ber-002"], ["de-muc-001"]], hasCanary: false)
        Self.run(&upgrade, in: &world)
        let site = upgrade.sites["de-ber-001"]!
        #expect(site.phase == .halted)
        #expect(site.reason?.contains("de-ber-001-h1 did not come back with runtime 2.0.1 within 15m") == true)
        #expect(upgrade.state == .halted && upgrade.reason?.contains("more than max-failed 0") == true)
        // The lost host stays cordoned (nothing is placed on it); the site serves on its other two.
        #expect(world.hosts["de-ber-001-h1"]?.status == .cordoned)
        #expect(world.hosts["de-ber-001-h2"]?.status == .online && world.hosts["de-ber-001-h3"]?.status == .online)
        // Nothing else started.
        #expect(upgrade.sites["de-ber-002"]?.phase == .queued && upgrade.sites["de-muc-001"]?.phase == .queued)
    }

    @Test func aProbeRegressionDuringTheCanaryHaltsThePlanAndSaysWhy() {
        var world = World(sites: [("se-sto-001", "Europe/Stockholm"), ("se-sto-002", "Europe/Stockholm")])
        var upgrade = Self.upgrade(Self.plan(healthyFor: 300), waves: [["se-sto-001"], ["se-sto-002"]])
        // Probes regress once the first host is back on the new runtime.
        Self.run(&upgrade, in: &world) { upgrade, _ in upgrade.sites["se-sto-001"]?.step == .gate }
        world.regressedSites = ["se-sto-001"]
        Self.run(&upgrade, in: &world)
        let canary = upgrade.sites["se-sto-001"]!
        #expect(canary.phase == .halted)
        #expect(canary.reason?.hasPrefix("probes regressed after se-sto-001-h1 moved to runtime 2.0.1: kiosk: p95 48 ms") == true)
        #expect(upgrade.state == .halted)
        #expect(upgrade.sites["se-sto-002"]?.phase == .queued)
        // The regressed host is cordoned again, so its instances move to the healthy hosts.
        #expect(world.hosts["se-sto-001-h1"]?.status == .cordoned)
    }

    @Test func aRegressionOnAnUpgradedHostHaltsTheTheaterWhileTheNextHostDrains() {
        var world = World(sites: [("be-anr-001", "Europe/Brussels"), ("be-anr-002", "Europe/Brussels")])
        var upgrade = Self.upgrade(Self.plan(), waves: [["be-anr-001"], ["be-anr-002"]])
        // The first host passes its gate (it is empty); the slowdown shows once the second host's
        // instances land on it.
        Self.run(&upgrade, in: &world) { upgrade, _ in
            upgrade.sites["be-anr-001"]?.step == .drain && upgrade.sites["be-anr-001"]?.doneHosts.count == 1
        }
        world.regressedSites = ["be-anr-001"]
        Self.run(&upgrade, in: &world)
        let site = upgrade.sites["be-anr-001"]!
        #expect(site.phase == .halted && upgrade.state == .halted)
        #expect(site.reason?.hasPrefix("probes regressed after be-anr-001-h1 moved to runtime 2.0.1") == true, "\(site.reason ?? "")")
        // The host that was draining (still on the old runtime) takes instances again.
        #expect(world.hosts["be-anr-001-h2"]?.status == .online && world.hosts["be-anr-001-h2"]?.runtimeVersion == "1.7.13")
    }

    @Test func windowsStartEachSiteAtItsOwnLocalHours() {
        // 2026-11-18T08:26Z is 17:26 in Tokyo and 09:26 in Stockholm; the window is 01:00–05:00 local.
        var world = World(sites: [("jp-tyo-001", "Asia/Tokyo"), ("se-sto-001", "Europe/Stockholm")])
        let window = MaintenanceWindow(days: Array(1...7), from: 60, to: 300)
        var upgrade = Self.upgrade(Self.plan(canary: nil, parallel: 2, windows: [window]), waves: [["jp-tyo-001", "se-sto-001"]], hasCanary: false)
        Self.run(&upgrade, in: &world, limit: 10)
        #expect(upgrade.sites.values.allSatisfy { $0.phase == .waiting && $0.reason?.contains("outside its maintenance windows") == true })
        #expect(world.log.isEmpty)
        // Tokyo's 01:00 comes first (16:00 UTC), Stockholm's at 00:00 UTC.
        Self.run(&upgrade, in: &world, limit: 10_000) { upgrade, _ in upgrade.sites.values.contains { $0.phase != .waiting } }
        #expect(upgrade.sites["jp-tyo-001"]?.phase == .upgrading && upgrade.sites["se-sto-001"]?.phase == .waiting)
        var tokyo = Calendar(identifier: .gregorian)
        tokyo.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        #expect(tokyo.component(.hour, from: world.now) == 1)
        Self.run(&upgrade, in: &world, limit: 10_000) { upgrade, _ in upgrade.sites["se-sto-001"]?.phase == .upgrading }
        #expect(upgrade.sites["se-sto-001"]?.phase == .upgrading)
        var stockholm = Calendar(identifier: .gregorian)
        stockholm.timeZone = TimeZone(identifier: "Europe/Stockholm")!
        #expect(stockholm.component(.hour, from: world.now) == 1)
        Self.run(&upgrade, in: &world)
        #expect(upgrade.state == .completed)
    }

    @Test func pauseLetsTheHostInFlightFinishAndAbortNeverLeavesOneCordoned() {
        var world = World(sites: [("fr-par-001", "Europe/Paris")])
        var upgrade = Self.upgrade(Self.plan(canary: nil), waves: [["fr-par-001"]], hasCanary: false)
        Self.run(&upgrade, in: &world) { upgrade, _ in upgrade.sites["fr-par-001"]?.step == .upgrade }
        upgrade.state = .aborted
        Self.run(&upgrade, in: &world)
        #expect(upgrade.sites["fr-par-001"]?.doneHosts == ["fr-par-001-h1"])
        #expect(upgrade.sites["fr-par-001"]?.host == nil)
        #expect(world.hosts.values.allSatisfy { $0.status == .online })
        #expect(upgrade.state == .aborted)
    }

    @Test func aFleetOf750TheatersAnd2250HostsUpgradesWithoutAServiceEverAtZero() {
        let zones = ["Europe/Stockholm", "America/New_York", "Asia/Tokyo", "Europe/Berlin", "America/Sao_Paulo"]
        let sites = (0..<750).map { (id: String(format: "xx-sim-%03d", $0), zone: zones[$0 % zones.count]) }
        var world = World(sites: sites)
        let ids = sites.map(\.id)
        let waves = [Array(ids.prefix(5))] + stride(from: 5, to: ids.count, by: 50).map { Array(ids[$0..<min($0 + 50, ids.count)]) }
        var upgrade = Self.upgrade(Self.plan(canary: 5, parallel: 50, healthyFor: 60), waves: waves)
        // `run` checks at every step that no theater has two hosts out and no service is at zero running.
        Self.run(&upgrade, in: &world, limit: 5_000)
        #expect(upgrade.state == .completed)
        #expect(upgrade.hostProgress == (2_250, 2_250))
        #expect(world.hosts.values.allSatisfy { $0.runtimeVersion == "2.0.1" && $0.status == .online })
    }
}
