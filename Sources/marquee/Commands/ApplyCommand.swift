import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee apply -f FILE|DIR`: stores specs and starts the rollouts they call for.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply application and deployment specs; idempotent, prints what changed.",
        discussion: """
            New versions and changed deployments start rollouts; applying the same files again changes nothing. \
            Rollouts advance in the tower (or `marquee demo`) that runs on the database; follow them with \
            `marquee rollout status`.
            """
    )

    @Option(name: .shortAndLong, help: "A spec file, or a directory read recursively for *.yaml and *.yml.")
    var file: String

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        _ = global.makeLogger("marquee.cli")
        let report: ApplyReport
        do {
            report = try await global.deploymentAPI().apply(try SpecFile.read(file), actor: OperatorIdentity.current(), gitCommit: nil, prune: false)
        } catch let error as SpecError {
            try SpecProblems.report(error, in: file, output: global.output)
        }
        ApplyOutput.print(report, output: global.output)
    }
}

/// Prints an ``ApplyReport`` for `apply` and `sync`.
enum ApplyOutput {
    static func print(_ report: ApplyReport, output: OutputFormat) {
        switch output {
        case .json:
            Output.printJSON(report)
        case .table:
            var table = TextTable(columns: [.init("KIND"), .init("NAME"), .init("CHANGE"), .init("DETAIL")])
            for change in report.changes { table.append([change.kind, change.name, change.action.rawValue, change.detail]) }
            Swift.print(table.render())
            let started = report.changes.filter { $0.kind == "rollout" && $0.action == .started }
            if !report.changed {
                Swift.print("Nothing changed.")
            } else if let first = started.first {
                Swift.print("Follow: marquee rollout status \(first.name)")
            }
        }
    }
}
