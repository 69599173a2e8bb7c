import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee plan -f FILE|DIR`: where and when each application would land, without changing anything.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Dry run: matching sites, canary, waves, maintenance windows and estimated duration of each deployment."
    )

    @Option(name: .shortAndLong, help: "A spec file, or a directory read recursively for *.yaml and *.yml.")
    var file: String

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        _ = global.makeLogger("marquee.cli")
        let plans: [DeploymentPlan]
        do {
            plans = try await global.deploymentAPI().plan(try SpecFile.read(file))
        } catch let error as SpecError {
            try SpecProblems.report(error, in: file, output: global.output)
        }
        switch global.output {
        case .json: Output.printJSON(ListEnvelope(kind: "DeploymentPlanList", items: plans))
        case .table: print(plans.isEmpty ? "No deployments in \(file)." : plans.map { Self.describe($0, now: Date()) }.joined(separator: "\n\n"))
        }
    }

    static func describe(_ plan: DeploymentPlan, now: Date) -> String {
        let time = DateFormatter()
        time.locale = Locale(identifier: "en_US_POSIX")
        time.timeZone = .gmt
        time.dateFormat = "EEE HH:mm"
        var lines = ["\(plan.application) \(plan.version)  (tenant \(plan.tenant)) — \(plan.action)"]
        var placement = "\(plan.placement): \(plan.matching) site(s) match"
        if plan.notAssigned > 0 { placement += ", \(plan.eligible) assigned to \(plan.tenant) (\(plan.notAssigned) are not)" }
        if plan.offline > 0 { placement += ", \(plan.offline) offline (pending until they return)" }
        if plan.alreadyRunning > 0 { placement += ", \(plan.alreadyRunning) already run \(plan.version)" }
        lines.append("  placement  \(placement)")
        if !plan.canary.isEmpty {
            let shown = plan.canary.prefix(5).joined(separator: ", ") + (plan.canary.count > 5 ? ", …" : "")
            lines.append("  canary     \(plan.canary.count) site(s): \(shown)")
        }
        let sizes =
            plan.waves.count > 8
            ? plan.waves.prefix(8).map(String.init).joined(separator: ", ") + ", …" : plan.waves.map(String.init).joined(separator: ", ")
        lines.append("  waves      \(plan.waves.count) wave(s) of \(sizes) site(s)")
        lines.append("  windows    \(plan.windows.isEmpty ? "any time" : plan.windows.joined(separator: "; ") + " (each site's local time)")")
        for estimate in plan.estimates.prefix(12) {
            let name = estimate.isCanary ? "canary" : "wave \(estimate.index + (plan.canary.isEmpty ? 1 : 0))"
            lines.append(
                "  \(name.padded(toWidth: 9))  \(estimate.sites) site(s), \(time.string(from: estimate.start))–\(time.string(from: estimate.end)) UTC"
            )
        }
        if plan.estimates.count > 12 { lines.append("  …          \(plan.estimates.count - 12) more wave(s)") }
        let end = now.addingTimeInterval(plan.estimatedDuration)
        lines.append(
            "  estimate   done in ~\(RelativeDuration.format(plan.estimatedDuration)) (by \(time.string(from: end)) UTC) if every site stays healthy")
        for problem in plan.problems { lines.append("  problem    \(problem)") }
        return lines.joined(separator: "\n")
    }
}
