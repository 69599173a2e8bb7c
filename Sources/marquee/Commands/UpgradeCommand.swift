import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee upgrade plan|start|status|pause|resume|abort`.
struct UpgradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Upgrade hosts (os, kernel, runtime, agent) node by node: plan, start, status, pause, resume, abort.",
        discussion: """
            A plan is a YAML file of `kind: UpgradePlan` (see docs/specs.md). Each theater upgrades one \
            host at a time: cordon, drain (replacements run before the old instances stop), upgrade, \
            rejoin with the target versions, gate (healthy and probes not regressed), next host.
            """,
        subcommands: [Plan.self, Start.self, Status.self, Act<PauseVerb>.self, Act<ResumeVerb>.self, Act<AbortVerb>.self],
        defaultSubcommand: Status.self
    )

    static func file(_ path: String) throws -> SpecFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SpecError([SpecDiagnostic(file: path, line: 1, column: 1, path: "", message: "no such file")])
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw SpecError([SpecDiagnostic(file: path, line: 1, column: 1, path: "", message: "cannot read the file as UTF-8 text")])
        }
        return SpecFile(path: path, content: text)
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dry run: the sites in order, hosts to upgrade, windows and an estimated duration; changes nothing.")

        @Option(name: .shortAndLong, help: "The UpgradePlan YAML file.")
        var file: String

        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let plan = try await global.upgradeAPI().upgradeDryRun(try UpgradeCommand.file(file))
            switch global.output {
            case .json: Output.printJSON(plan)
            case .table: print(UpgradeText.describe(plan))
            }
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start an upgrade plan (the tower carries it out; follow with `upgrade status`).")

        @Option(name: .shortAndLong, help: "The UpgradePlan YAML file.")
        var file: String

        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let upgrade = try await global.upgradeAPI().startUpgrade(try UpgradeCommand.file(file), actor: OperatorIdentity.current())
            switch global.output {
            case .json: Output.printJSON(upgrade)
            case .table:
                print("\(upgrade.id): started on \(upgrade.sites.count) sites (\(upgrade.plan.targets))")
                print("Follow: marquee upgrade status \(upgrade.id)")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List upgrade plans, or show one: waves, sites in progress, halts and why.")

        @Argument(help: "A plan name (see the list).")
        var name: String?

        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let api = try global.upgradeAPI()
            guard let name else {
                let upgrades = try await api.upgrades()
                switch global.output {
                case .json: Output.printJSON(ListEnvelope(kind: "UpgradeList", items: upgrades))
                case .table: print(upgrades.isEmpty ? "No upgrade plans yet: marquee upgrade plan -f PLAN.yaml" : UpgradeText.list(upgrades))
                }
                return
            }
            let upgrade = try await api.upgrade(name: name)
            switch global.output {
            case .json: Output.printJSON(upgrade)
            case .table: print(UpgradeText.describe(upgrade, now: Date()))
            }
        }
    }

    protocol Verb { static var command: UpgradeService.Command { get } }
    enum PauseVerb: Verb { static let command = UpgradeService.Command.pause }
    enum ResumeVerb: Verb { static let command = UpgradeService.Command.resume }
    enum AbortVerb: Verb { static let command = UpgradeService.Command.abort }

    struct Act<V: Verb>: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            let help: [UpgradeService.Command: String] = [
                .pause: "Start no new host (hosts in flight finish their steps).", .resume: "Continue a paused plan.",
                .abort: "End the plan: hosts in flight finish safely (never left cordoned), nothing new starts.",
            ]
            return CommandConfiguration(commandName: V.command.rawValue, abstract: help[V.command] ?? "")
        }

        @Argument(help: "The plan name.")
        var name: String

        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let upgrade = try await global.upgradeAPI().upgradeCommand(V.command, name: name, actor: OperatorIdentity.current())
            switch global.output {
            case .json: Output.printJSON(upgrade)
            case .table: print("\(upgrade.id): \(upgrade.state.rawValue)\(upgrade.reason.map { " — \($0)" } ?? "")")
            }
        }
    }
}
