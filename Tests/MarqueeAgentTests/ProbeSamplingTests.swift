import Foundation
import Logging
import MarqueeAgent
import MarqueeCore
import MarqueeTestSupport
import Testing

/// What the supervisor reports of the probes it runs on a real process.
@Suite struct ProbeSamplingTests {
    /// A process that boots slowly fails its startup probe a few times by design; those failures are
    /// its state, not errors of the app. Once it is up, readiness is sampled on every run.
    @Test func startupFailuresWhileBootingAreNotSamplesButReadinessIs() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-probes")
        defer { directory.remove() }
        let logger = Logger(label: "test")
        let clock = ManualClock()
        let driver = ProcessDriver(logDirectory: directory.file("logs"), logger: logger)
        let supervisor = ContainerSupervisor(driver: driver, host: CombinedReporter([]), clock: clock, logger: logger)
        let booted = directory.file("booted")
        let id = "h1/slow/slow-0"
        let spec = ContainerSpec(
            name: "slow", image: "slow:1", command: ["sh", "-c", "exec sleep 3600"],
            probes: [
                ProbeSpec(purpose: .startup, check: .exec(command: ["test", "-e", booted]), interval: 0, timeout: 5, failureThreshold: 30),
                ProbeSpec(purpose: .readiness, check: .exec(command: ["true"]), interval: 0, timeout: 5),
            ])
        let instance = ContainerInstance(
            id: id, app: "slow", service: "slow", tenantID: "t", hostID: "h1", runtimeInstanceID: "", image: "slow:1", version: "1",
            state: .created, restarts: 0, startedAt: nil)
        await supervisor.apply(DesiredState(hostID: "h1", revision: 1, containers: [instance], specs: [id: spec]))
        // Passes until it is started, then three more: each runs the startup probe, which fails.
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, await supervisor.containers.first?.runtimeInstanceID.isEmpty != false {
            await supervisor.reconcile()
            try await Task.sleep(for: .milliseconds(20))
        }
        for _ in 0..<3 { await supervisor.reconcile() }
        let booting = await supervisor.sample(at: clock.now())
        #expect(booting.compactMap(\.probe).isEmpty, "\(booting.compactMap(\.probe))")
        let state = await supervisor.containers.first
        #expect(state?.state != .running && state?.state != .failed, "\(String(describing: state))")

        // Booted: startup passes (not sampled) and readiness runs in the same pass, and again in the next.
        _ = FileManager.default.createFile(atPath: booted, contents: nil)
        await supervisor.reconcile()
        await supervisor.reconcile()
        let up = await supervisor.sample(at: clock.now()).compactMap(\.probe)
        #expect(up.map(\.probe) == ["readiness", "readiness"])
        #expect(up.allSatisfy { $0.success && $0.app == "slow" && $0.container == id })
        #expect(await supervisor.containers.first?.state == .running)
        await supervisor.apply(DesiredState(hostID: "h1", revision: 2, containers: [], specs: [:]))
    }
}
