import Foundation
import MarqueeAgent
import MarqueeCore
import Synchronization

/// A simulated host's container runtime and load, reported like a real agent's.
///
/// Containers keep the state the generator gave them; now and then one restarts (and, rarely,
/// a crash-looping container fails), so the tower's view moves. Load and free memory wander
/// around values typical of the host's size.
public final class SimulatedRuntime: HostReporter, DesiredStateApplier {
    let state: Mutex<State>
    private let memoryBytes: Int64
    private let diskBytes: Int64
    let now: @Sendable () -> Date

    struct State {
        var containers: [ContainerInstance]
        /// Containers starting: when each becomes ready (set on the first sample after it was placed).
        var readyAt: [String: Date] = [:]
        /// Injected faults by container id, from the spec's `MARQUEE_SIM_FAULT`.
        var faults: [String: SimulatedFault] = [:]
        var generator: SeededGenerator
        /// When containers were last probed (every ``probeInterval``).
        var lastProbe: Date?
        /// Multiplies every probe latency on this host (a scenario's regression).
        var latencyFactor = 1.0
        /// What the host reports about itself (changes when an upgrade completes).
        var facts: HostFacts
        /// A regression that slows hosts running exactly this kernel and runtime version.
        var regression: (kernel: String, runtimeVersion: String, factor: Double)?
        /// The upgrade in progress: down (rebooting) from `downAt`, back with new facts at `upAt`.
        var upgrade: (order: HostUpgradeOrder, downAt: Date, upAt: Date)?
        /// Orders already carried out (plan name and order time), so a repeated order is not redone.
        var finishedOrders: Set<String> = []
        /// How this host's upgrades fail, if they do.
        var upgradeFault: SimulatedUpgradeFault?
    }

    /// How often the simulated agent probes each container.
    static let probeInterval: TimeInterval = 10

    /// - Parameter now: the simulation's clock; a container placed at `now()` is ready 3–20 s later.
    public init(
        host: EdgeHost, containers: [ContainerInstance], seed: UInt64, upgradeFault: SimulatedUpgradeFault? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.now = now
        // FNV-1a of the host id: a stable per-host stream for a given fleet seed.
        let hostHash = host.id.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        state = Mutex(
            State(containers: containers, generator: SeededGenerator(seed: seed ^ hostHash), facts: host.facts, upgradeFault: upgradeFault))
        memoryBytes = host.memoryBytes
        diskBytes = host.diskBytes
    }

    /// Runs what the tower wants: containers it already runs at the same version keep their state
    /// and restarts; new ones (or a new version under the same id) start — after a realistic
    /// pull-and-start time — and the rest stop.
    public func apply(_ desired: DesiredState) async {
        let time = now()
        state.withLock { state in
            Self.takeUpgradeOrder(desired.upgrade, state: &state, at: time)
            let current = Dictionary(uniqueKeysWithValues: state.containers.map { ($0.id, $0) })
            state.containers = desired.containers.map { wanted in
                if let running = current[wanted.id], running.version == wanted.version, running.image == wanted.image { return running }
                var container = wanted
                container.state = .starting
                container.restarts = 0
                container.startedAt = nil
                container.detail = nil
                let fault = desired.specs[wanted.id]?.env["MARQUEE_SIM_FAULT"].flatMap(SimulatedFault.init(rawValue:))
                state.faults[wanted.id] = fault
                let startup = fault == .slowStart ? 600 : Double.random(in: 3...20, using: &state.generator).rounded()
                state.readyAt[wanted.id] = time.addingTimeInterval(startup)
                return container
            }
            let kept = Set(state.containers.map(\.id))
            state.readyAt = state.readyAt.filter { kept.contains($0.key) }
            state.faults = state.faults.filter { kept.contains($0.key) }
        }
    }

    /// Slows every container on this host by `factor` (1 = normal), as a scheduler or runtime
    /// regression would.
    public func setLatencyFactor(_ factor: Double) {
        state.withLock { $0.latencyFactor = factor }
    }

    /// Slows this host by `factor` whenever it runs exactly `kernel` with runtime `runtimeVersion`
    /// (now, and after any upgrade that lands it there).
    public func setRegression(kernel: String, runtimeVersion: String, factor: Double) {
        state.withLock { state in
            state.regression = (kernel, runtimeVersion, factor)
            Self.applyRegression(&state)
        }
    }

    static func applyRegression(_ state: inout State) {
        guard let regression = state.regression else { return }
        let hit = state.facts.kernelRelease == regression.kernel && state.facts.runtimeVersion == regression.runtimeVersion
        state.latencyFactor = hit ? regression.factor : 1
    }

    /// Typical readiness-probe latency of an application, milliseconds (stable per name).
    static func baseLatency(of app: String) -> Double {
        let hash = app.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        return 4 + Double(hash % 36)
    }

    /// One probe latency: log-normal (σ ≈ 0.3) around `base`, with a rare 8× outlier. The live
    /// simulator and the demo's backfilled history share this model.
    static func probeLatency(_ base: Double, random: inout SeededGenerator, outlierRate: Double = outlierRate) -> Double {
        let u1 = Swift.max(Double.random(in: 0..<1, using: &random), 1e-12)
        let u2 = Double.random(in: 0..<1, using: &random)
        let normal = (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * .pi * u2)
        let latency = base * Foundation.exp(0.3 * normal)
        return Double.random(in: 0..<1, using: &random) < outlierRate ? latency * 8 : latency
    }

    /// Share of probes that take 8× their usual time.
    static let outlierRate = 0.005

    /// Probe samples for the running and unhealthy containers since the last sample, one per
    /// ``probeInterval`` (at most six: a sample catches up on one minute).
    private static func probes(state: inout State, at time: Date) -> [ReportRecord] {
        let last = state.lastProbe ?? time.addingTimeInterval(-probeInterval)
        let due = Swift.min(6, Int(time.timeIntervalSince(last) / probeInterval))
        guard due > 0 else { return [] }
        state.lastProbe = last.addingTimeInterval(Double(due) * probeInterval)
        var records: [ReportRecord] = []
        let slowed = state.latencyFactor > 1
        if slowed {
            for step in 0..<due {
                if let line = SimulatedLogs.kernelLine(random: &state.generator) {
                    records.append(.log(line, at: last.addingTimeInterval(Double(step) * probeInterval + 3)))
                }
            }
        }
        for container in state.containers where container.state == .running || container.state == .unhealthy {
            let base = baseLatency(of: container.app) * state.latencyFactor
            for step in 0..<due {
                let at = last.addingTimeInterval(Double(step + 1) * probeInterval)
                let latency = probeLatency(base, random: &state.generator)
                for line in SimulatedLogs.lines(for: container, latency: latency, slowed: slowed, random: &state.generator) {
                    records.append(.log(line, at: at.addingTimeInterval(-Double.random(in: 0..<probeInterval, using: &state.generator))))
                }
                let healthy = container.state == .running
                records.append(
                    .probe(
                        ProbeSample(
                            app: container.app, service: container.service, container: container.id, probe: "readiness",
                            latencyMilliseconds: (latency * 100).rounded() / 100, success: healthy, status: healthy ? "HTTP 200" : "HTTP 503"),
                        at: at))
            }
        }
        return records
    }

    public func sample(at time: Date) async -> [ReportRecord] {
        state.withLock { state in
            Self.advanceUpgrade(&state, at: time)
            // A rebooting host takes no samples.
            if let upgrade = state.upgrade, time >= upgrade.downAt { return [] }
            var records: [ReportRecord] = []
            for index in state.containers.indices {
                var moving = state.containers[index]
                Self.advance(&moving, state: &state, at: time)
                state.containers[index] = moving
                if state.containers[index].state == .running, Double.random(in: 0..<1, using: &state.generator) < 0.0005 {
                    state.containers[index].restarts += 1
                }
                let container = state.containers[index]
                records.append(
                    .container(
                        ContainerStateReport(
                            id: container.id, state: container.state, restarts: container.restarts,
                            version: container.version.isEmpty ? nil : container.version,
                            detail: container.detail), at: time))
            }
            let load = Double.random(in: 0.2...2.5, using: &state.generator)
            let memory = Int64(Double(memoryBytes) * Double.random(in: 0.35...0.7, using: &state.generator))
            let disk = Int64(Double(diskBytes) * Double.random(in: 0.5...0.6, using: &state.generator))
            records.append(.hostMetrics(HostMetricsReport(load1: load, memoryAvailableBytes: memory, diskFreeBytes: disk), at: time))
            records += Self.probes(state: &state, at: time)
            return records
        }
    }

    /// Moves a starting container along to `time`: it runs once ready, or plays out its injected
    /// fault (catching up on every step that fell between two samples).
    private static func advance(_ container: inout ContainerInstance, state: inout State, at time: Date) {
        while container.state == .starting {
            guard let ready = state.readyAt[container.id] else {
                state.readyAt[container.id] = time.addingTimeInterval(Double.random(in: 3...20, using: &state.generator).rounded())
                return
            }
            guard time >= ready else { return }
            switch state.faults[container.id] {
            case .crash:
                container.restarts += 1
                if container.restarts >= 3 {
                    container.state = .failed
                    container.detail = "exited with status 1 after 2s; crash-looping (\(container.restarts) restarts)"
                } else {
                    container.detail = "exited with status 1 after 2s; restarting (back-off \(5 << container.restarts)s)"
                    state.readyAt[container.id] = ready.addingTimeInterval(Double(5 << container.restarts))
                }
            case .unhealthy:
                container.state = .unhealthy
                container.detail = "readiness probe failed: HTTP 503 from /health"
            case .slowStart, nil:
                container.state = .running
                container.startedAt = ready
                container.detail = nil
            }
        }
    }
}

/// Faults the simulated runtime injects when a container's spec sets `MARQUEE_SIM_FAULT`.
public enum SimulatedFault: String, Sendable {
    /// Exits at once, three times, then is failed.
    case crash
    /// Starts but never passes its readiness probe.
    case unhealthy
    /// Takes 10 minutes to become ready.
    case slowStart = "slow-start"
}
