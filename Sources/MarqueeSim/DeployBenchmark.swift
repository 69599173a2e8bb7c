import Foundation
import GRDB
import Logging
import MarqueeCore
import Synchronization

/// Measures the deployment engine: placement of 100 deployments over the fleet, and a whole
/// rollout's control overhead on a virtual clock.
public struct DeployBenchmark: Sendable {
    /// Figures from one run.
    public struct Result: Codable, Sendable, Equatable {
        public var deployments: Int
        public var sites: Int
        public var iterations: Int
        /// Building the placement index over the fleet (once per fleet change, shared by every deployment).
        public var indexBuildP50Milliseconds: Double
        /// Placement + canary/wave planning of every deployment against the index, per iteration.
        public var placementP50Milliseconds: Double
        public var placementP99Milliseconds: Double
        /// Sites placed per iteration (shows the work is real).
        public var sitesPlaced: Int
        public var rollout: RolloutFigures
        /// Peak resident memory of the process, in MiB.
        public var peakMemoryMiB: Double
    }

    /// A 750-site rollout driven tick by tick on a virtual clock, agents starting containers at once.
    public struct RolloutFigures: Codable, Sendable, Equatable {
        public var sites: Int
        public var waves: Int
        /// The rollout's length on the virtual clock, in seconds.
        public var virtualSeconds: Double
        /// The health gates on its critical path (canary gate + each wave's gate), in seconds.
        public var summedGateSeconds: Double
        /// (virtual length − summed gates) / summed gates: time the controller adds to the gates.
        public var controlOverhead: Double
        public var ticks: Int
        /// Real time spent in the controller (placing, scheduling, writing), in milliseconds.
        public var controllerMilliseconds: Double
        public var tickP50Milliseconds: Double
        public var tickP99Milliseconds: Double
        public var finalState: String
    }

    public let fleet: FleetSnapshot
    public let iterations: Int
    /// The tower's tick interval.
    public let tick: TimeInterval

    public init(fleet: FleetSnapshot, iterations: Int = 100, tick: TimeInterval = 5) {
        self.fleet = fleet
        self.iterations = iterations
        self.tick = tick
    }

    /// 100 deployments: the selector benchmark's workload, alternating tenants, canary 3 sites, 20 % waves.
    func deployments() -> [(DeploymentSpec, Tenant)] {
        SelectorBenchmark.workload().enumerated().map { index, selector in
            let policy = RolloutPolicy(canary: CanaryPolicy(sites: .count(3), healthyFor: 600), waves: .percent(20))
            let tenant = index % 4 == 3 ? FleetCatalog.vendorTenant : FleetCatalog.platformTenant
            return (DeploymentSpec(application: "app-\(index)", version: .follow, placement: selector, rollout: policy, source: "bench"), tenant)
        }
    }

    public func run(progress: (Int, Int) -> Void = { _, _ in }) async throws -> Result {
        let work = deployments()
        let assigned = Set(fleet.siteAssignments.map(\.siteID))
        let online = Set(fleet.hosts.filter { $0.status == .online || $0.status == .degraded }.map(\.siteID))
        var samples: [Double] = []
        var builds: [Double] = []
        var placed = 0
        let clock = ContinuousClock()
        for iteration in 0..<iterations {
            placed = 0
            let built = clock.now
            let index = PlacementIndex(sites: fleet.sites)
            let assignedRows = index.rows(in: assigned)
            let onlineRows = index.rows(in: online)
            builds.append(Self.milliseconds(clock.now - built))
            let start = clock.now
            for (deployment, tenant) in work {
                let placement = try Placement.place(deployment, tenant: tenant, index: index, assignedRows: assignedRows, onlineRows: onlineRows)
                let (canary, waves) = try RolloutPlanner.waves(for: placement, policy: deployment.rollout)
                placed += canary.count + waves.reduce(0) { $0 + $1.count }
            }
            samples.append(Self.milliseconds(clock.now - start))
            progress(iteration + 1, iterations + 1)
        }
        samples.sort()
        let rollout = try await runRollout()
        progress(iterations + 1, iterations + 1)
        return Result(
            deployments: work.count, sites: fleet.sites.count, iterations: iterations,
            indexBuildP50Milliseconds: Self.percentile(builds.sorted(), 0.5), placementP50Milliseconds: Self.percentile(samples, 0.5),
            placementP99Milliseconds: Self.percentile(samples, 0.99), sitesPlaced: placed, rollout: rollout, peakMemoryMiB: Self.peakMemoryMiB())
    }

    /// Applies a people-counter release to every theater (canary 5 sites for 10 min, ten 10 % waves
    /// of 5 min) and ticks the controller every `tick` virtual seconds until it finishes.
    func runRollout() async throws -> RolloutFigures {
        let database = try FleetDatabase.inMemory()
        let store = SQLiteFleetStore(database)
        try await store.replaceFleet(with: fleet)
        let virtual = VirtualClock(start: Date(timeIntervalSince1970: 1_795_831_200))
        var logger = Logger(label: "marquee.bench")
        logger.logLevel = .warning
        let service = DeploymentService(store: store, clock: virtual, logger: logger) { _ in }
        let base = FleetCatalog.applicationSpecs.first { $0.name == "people-counter" }!
        var release = base
        release.version = "2.5.0"
        release.source = "bench"
        let policy = RolloutPolicy(
            canary: CanaryPolicy(sites: .count(5), healthyFor: 600), waves: .percent(10), healthyFor: 300, deadline: 1_800, maxFailed: 10)
        let deployment = DeploymentSpec(application: "people-counter", version: .follow, placement: "has(screens)", rollout: policy, source: "bench")
        _ = try await service.apply(SpecSet(applications: [release], deployments: [deployment]), actor: "bench")
        let clock = ContinuousClock()
        var tickTimes: [Double] = []
        let began = virtual.now()
        var rollout = try await store.rollouts().first!
        while rollout.state.isActive, tickTimes.count < 100_000 {
            let start = clock.now
            try await service.tick()
            tickTimes.append(Self.milliseconds(clock.now - start))
            // The agents: whatever was placed starts at once (the benchmark measures the controller, not the runtime).
            try await database.writer.write { db in
                try db.execute(sql: "UPDATE containerInstance SET state = 'running' WHERE state = 'created'")
            }
            virtual.advance(by: tick)
            rollout = try await store.rollout(id: rollout.id)!
        }
        let ended = rollout.finishedAt ?? virtual.now()
        let waves = rollout.waves.count - (rollout.hasCanary ? 1 : 0)
        let gates = (rollout.hasCanary ? policy.canary!.healthyFor : 0) + Double(waves) * policy.healthyFor
        let length = ended.timeIntervalSince(began)
        let sorted = tickTimes.sorted()
        return RolloutFigures(
            sites: rollout.sites.count, waves: waves, virtualSeconds: length, summedGateSeconds: gates, controlOverhead: (length - gates) / gates,
            ticks: tickTimes.count, controllerMilliseconds: tickTimes.reduce(0, +), tickP50Milliseconds: Self.percentile(sorted, 0.5),
            tickP99Milliseconds: Self.percentile(sorted, 0.99), finalState: rollout.state.rawValue)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * fraction))]
    }

    static func peakMemoryMiB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kib = Double(fields[1]) { return kib / 1_024 }
        }
        return 0
    }
}

/// A clock the benchmark moves by hand.
final class VirtualClock: FleetClock, Sendable {
    private let current: Mutex<Date>

    init(start: Date) { current = Mutex(start) }

    func now() -> Date { current.withLock { $0 } }
    func sleep(for duration: Duration) async throws { await Task.yield() }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
