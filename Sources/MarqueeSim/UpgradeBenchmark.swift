import Foundation
import GRDB
import Logging
import MarqueeCore

/// `marquee bench upgrade`: a whole-fleet infrastructure upgrade on a virtual clock, through the
/// real upgrade service, deployment rescheduler (make-before-break drains) and SQLite store, with
/// the agents' part played by SQL: replacements start after `startSeconds`, ordered hosts go
/// silent and come back with the targets after `rebootSeconds`.
///
/// Figures: the fleet's upgrade time against the sum of its unavoidable durations (per wave, the
/// slowest theater's hosts × (replacement start + reboot + healthy-for)), so the difference is the
/// orchestration's own cost; and the tower's CPU per tick while it supervises every host.
public struct UpgradeBenchmark: Sendable {
    public struct Result: Codable, Sendable, Equatable {
        public var sites: Int
        public var hosts: Int
        public var waves: Int
        public var virtualSeconds: TimeInterval
        /// Per wave, the slowest theater's hosts × (start + reboot + healthy-for), summed.
        public var summedDurationSeconds: TimeInterval
        public var orchestrationOverhead: Double
        public var ticks: Int
        public var tickP50Milliseconds: Double
        public var tickP99Milliseconds: Double
        /// Tower CPU (upgrade tick + rescheduler) per hour of supervised upgrade.
        public var cpuSecondsPerVirtualHour: Double
        public var finalState: String
        /// Why the plan stopped, when it did not complete.
        public var reason: String?
        public var hostsUpgraded: Int
        /// Sites that halted, each "site: reason" (the first 10, sorted).
        public var haltedSites: [String]
        public var peakMemoryMiB: Double
        /// Services (site/app/service) running when the plan started, checked after every tick.
        public var servicesWatched: Int
        public var availabilityChecks: Int
        /// Times a watched service was seen with no running instance (the first 10 listed).
        public var servicesAtZero: Int
        public var servicesAtZeroExamples: [String]
    }

    let fleet: FleetSnapshot
    let tick: TimeInterval
    let startSeconds: TimeInterval
    let rebootSeconds: TimeInterval
    let healthyFor: TimeInterval
    let parallel: Int

    public init(
        fleet: FleetSnapshot, tick: TimeInterval = 5, startSeconds: TimeInterval = 20, rebootSeconds: TimeInterval = 240,
        healthyFor: TimeInterval = 300, parallel: Int = 50
    ) {
        self.fleet = fleet
        self.tick = tick
        self.startSeconds = startSeconds
        self.rebootSeconds = rebootSeconds
        self.healthyFor = healthyFor
        self.parallel = parallel
    }

    public func run(progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Result {
        let database = try FleetDatabase.inMemory()
        let store = SQLiteFleetStore(database)
        try await store.replaceFleet(with: fleet)
        let start = Date(timeIntervalSince1970: 1_795_831_200)
        let virtual = VirtualClock(start: start)
        // Every host that can be upgraded is online; the rest stay as generated.
        try await database.writer.write { db in
            try db.execute(
                sql: "UPDATE host SET status = 'online', lastSeen = ? WHERE status IN ('degraded', 'cordoned', 'upgrading')", arguments: [start])
            try db.execute(sql: "UPDATE host SET lastSeen = ? WHERE status = 'online'", arguments: [start])
        }
        var logger = Logger(label: "marquee.bench")
        logger.logLevel = .warning
        let deployments = DeploymentService(store: store, clock: virtual, logger: logger) { _ in }
        let upgrades = UpgradeService(store: store, clock: virtual, heartbeat: 10, logger: logger) { _ in }
        let plan = UpgradePlan(
            name: "bench-runtime", targets: UpgradeTargets(runtime: "9.9.9"), select: "has(screens)",
            canary: CanaryPolicy(sites: .count(5), healthyFor: 0),
            waves: .sitesInParallel(parallel), gates: UpgradeGates(healthyFor: healthyFor, hostTimeout: rebootSeconds * 4), maxFailed: 10)
        var upgrade = try await upgrades.start(plan, actor: "bench")
        let hostsPerSite = upgrade.sites.mapValues(\.hosts.count)
        let perHost = startSeconds + rebootSeconds + healthyFor
        let summed = upgrade.waves.reduce(0.0) { total, wave in total + Double(wave.map { hostsPerSite[$0, default: 0] }.max() ?? 0) * perHost }
        let total = max(1, upgrade.hostProgress.total)
        var availability = try await database.writer.read { db in try AvailabilityWatch(db) }
        let clock = ContinuousClock()
        var tickTimes: [Double] = []
        var cpu = 0.0
        while upgrade.state.isActive || upgrade.sites.values.contains(where: { $0.host != nil }), tickTimes.count < 200_000 {
            let now = virtual.now()
            let cpuBefore = Self.cpuSeconds()
            let began = clock.now
            try await upgrades.tick()
            try await deployments.reschedule()
            tickTimes.append(DeployBenchmark.milliseconds(clock.now - began))
            cpu += Self.cpuSeconds() - cpuBefore
            // The agents: replacements run `startSeconds` after they were placed (first seen created);
            // ordered hosts are silent for `rebootSeconds`, then report the targets; the rest call home.
            try await database.writer.write { db in
                try db.execute(
                    sql: """
                        UPDATE containerInstance SET state = 'running', startedAt = ?
                        WHERE state = 'created' AND detail IS NOT NULL AND CAST(detail AS REAL) <= ?
                        """, arguments: [now, now.timeIntervalSince1970 - startSeconds])
                try db.execute(
                    sql: "UPDATE containerInstance SET detail = CAST(? AS TEXT) WHERE state = 'created' AND detail IS NULL",
                    arguments: [now.timeIntervalSince1970])
                try db.execute(
                    sql: """
                        UPDATE host SET runtimeVersion = '9.9.9', lastSeen = ? WHERE status = 'upgrading'
                        AND id IN (SELECT hostID FROM hostUpgradeOrder WHERE orderedAt <= ?)
                        """, arguments: [now, now.addingTimeInterval(-rebootSeconds)])
                try db.execute(sql: "UPDATE host SET lastSeen = ? WHERE status IN ('online', 'cordoned', 'degraded')", arguments: [now])
            }
            let label = "t+\(Int(now.timeIntervalSince(start)))s"
            availability = try await database.writer.read { [availability] db in
                var watch = availability
                try watch.check(db, label: label)
                return watch
            }
            virtual.advance(by: tick)
            upgrade = try await store.upgrade(name: plan.name)!
            progress(upgrade.hostProgress.done, total)
        }
        let length = virtual.now().timeIntervalSince(start)
        let sorted = tickTimes.sorted()
        return Result(
            sites: upgrade.sites.count, hosts: upgrade.hostProgress.total, waves: upgrade.waves.count, virtualSeconds: length,
            summedDurationSeconds: summed, orchestrationOverhead: (length - summed) / summed, ticks: tickTimes.count,
            tickP50Milliseconds: DeployBenchmark.percentile(sorted, 0.5), tickP99Milliseconds: DeployBenchmark.percentile(sorted, 0.99),
            cpuSecondsPerVirtualHour: cpu / (length / 3_600), finalState: upgrade.state.rawValue, reason: upgrade.reason,
            hostsUpgraded: upgrade.hostProgress.done,
            haltedSites: upgrade.sites.values.filter { $0.phase == .halted }.map { "\($0.siteID): \($0.reason ?? "halted")" }.sorted().prefix(10).map
            { $0 },
            peakMemoryMiB: DeployBenchmark.peakMemoryMiB(), servicesWatched: availability.services, availabilityChecks: availability.checks,
            servicesAtZero: availability.violations.count, servicesAtZeroExamples: Array(availability.violations.prefix(10)))
    }

    /// User + system CPU seconds of this process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
