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
    private let state: Mutex<State>
    private let memoryBytes: Int64
    private let diskBytes: Int64

    struct State {
        var containers: [ContainerInstance]
        var generator: SeededGenerator
    }

    public init(host: EdgeHost, containers: [ContainerInstance], seed: UInt64) {
        // FNV-1a of the host id: a stable per-host stream for a given fleet seed.
        let hostHash = host.id.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        state = Mutex(State(containers: containers, generator: SeededGenerator(seed: seed ^ hostHash)))
        memoryBytes = host.memoryBytes
        diskBytes = host.diskBytes
    }

    /// Runs what the tower wants: containers it already runs keep their state and restarts; new
    /// ones start running; the rest stop.
    public func apply(_ desired: DesiredState) async {
        state.withLock { state in
            let current = Dictionary(uniqueKeysWithValues: state.containers.map { ($0.id, $0) })
            state.containers = desired.containers.map { wanted in
                var container = current[wanted.id] ?? wanted
                if current[wanted.id] == nil { container.state = .running }
                return container
            }
        }
    }

    public func sample(at time: Date) async -> [ReportRecord] {
        state.withLock { state in
            var records: [ReportRecord] = []
            for index in state.containers.indices {
                if state.containers[index].state == .running, Double.random(in: 0..<1, using: &state.generator) < 0.0005 {
                    state.containers[index].restarts += 1
                }
                let container = state.containers[index]
                records.append(.container(ContainerStateReport(id: container.id, state: container.state, restarts: container.restarts), at: time))
            }
            let load = Double.random(in: 0.2...2.5, using: &state.generator)
            let memory = Int64(Double(memoryBytes) * Double.random(in: 0.35...0.7, using: &state.generator))
            let disk = Int64(Double(diskBytes) * Double.random(in: 0.5...0.6, using: &state.generator))
            records.append(.hostMetrics(HostMetricsReport(load1: load, memoryAvailableBytes: memory, diskFreeBytes: disk), at: time))
            return records
        }
    }
}
