import Foundation
import MarqueeCore

/// The theater chain's first live upgrade, replayed: an interaction between one container runtime
/// version and one kernel's scheduler slows every container on the hosts that combine them.
///
/// Only hosts with exactly that kernel release *and* runtime version are affected, so the
/// degraded theaters share the combination while healthy ones rarely do — what cohort analysis
/// has to find.
struct KernelRegressionScenario: Scenario {
    var kernel = "6.1.0-18-amd64"
    var runtimeVersion = "1.7.13"
    /// How much slower the affected hosts answer.
    var factor = 4.0
    /// Intervals of normal running before the regression shows.
    var calmIntervals = 3

    var title: String { "kernel-regression \(kernel) containerd \(runtimeVersion)" }

    func run(in context: ScenarioContext) async throws {
        let affected = context.hosts.filter { $0.kernelRelease == kernel && $0.runtimeVersion == runtimeVersion }
        guard !affected.isEmpty else {
            context.narrate("kernel-regression: no simulated host runs containerd \(runtimeVersion) on \(kernel); nothing to slow down")
            return
        }
        try await context.clock.sleep(for: context.heartbeatInterval * calmIntervals)
        // Every host carries the rule, so one upgraded into the combination slows down too.
        for runtime in context.runtimes.values { runtime.setRegression(kernel: kernel, runtimeVersion: runtimeVersion, factor: factor) }
        let sites = Set(affected.map(\.siteID))
        context.narrate(
            "kernel-regression: \(affected.count) hosts at \(sites.count) theaters (containerd \(runtimeVersion) on \(kernel)) now answer \(Int(factor))× slower"
        )
    }
}
