import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee rollout status|pause|resume|abort|rollback`.
struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Follow and steer rollouts: status, pause, resume, abort, rollback.",
        subcommands: [Status.self, Act<PauseVerb>.self, Act<ResumeVerb>.self, Act<AbortVerb>.self, Act<RollbackVerb>.self],
        defaultSubcommand: Status.self
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List rollouts, or show one with its waves and every site that is not done.")

        @Argument(help: "A rollout id (see the list).")
        var id: String?

        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let api = try global.deploymentAPI()
            guard let id else {
                let rollouts = try await api.rollouts()
                switch global.output {
                case .json: Output.printJSON(ListEnvelope(kind: "RolloutList", items: rollouts))
                case .table:
                    var table = TextTable(columns: [.init("ROLLOUT"), .init("STATE"), .init("PROGRESS"), .init("SUMMARY"), .init("UPDATED")])
                    for rollout in rollouts {
                        table.append([
                            rollout.id, rollout.paused ? "\(rollout.state.rawValue) (paused)" : rollout.state.rawValue,
                            RolloutText.bar(rollout.progress),
                            rollout.summary, RelativeTime.describe(rollout.updatedAt, now: Date()),
                        ])
                    }
                    print(rollouts.isEmpty ? "No rollouts yet: marquee apply -f SPECS" : table.render())
                }
                return
            }
            let rollout = try await api.rollout(id: id)
            switch global.output {
            case .json: Output.printJSON(rollout)
            case .table: print(RolloutText.describe(rollout))
            }
        }
    }

    protocol Verb { static var command: RolloutEngine.Command { get } }
    enum PauseVerb: Verb { static let command = RolloutEngine.Command.pause }
    enum ResumeVerb: Verb { static let command = RolloutEngine.Command.resume }
    enum AbortVerb: Verb { static let command = RolloutEngine.Command.abort }
    enum RollbackVerb: Verb { static let command = RolloutEngine.Command.rollback }

    struct Act<V: Verb>: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            let help: [RolloutEngine.Command: String] = [
                .pause: "Start no new sites (sites in progress are still watched).", .resume: "Continue a paused rollout.",
                .abort: "Stop: sites not started are skipped; sites already changed keep the new version.",
                .rollback: "Put every site the rollout changed back on its previous version.",
            ]
            return CommandConfiguration(commandName: V.command.rawValue, abstract: help[V.command] ?? "")
        }

        @Argument(help: "The rollout id.")
        var id: String

        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let rollout = try await global.deploymentAPI().rolloutCommand(V.command, id: id, actor: OperatorIdentity.current())
            switch global.output {
            case .json: Output.printJSON(rollout)
            case .table: print("\(rollout.id): \(rollout.summary)")
            }
        }
    }
}

/// Text for rollouts in the CLI.
enum RolloutText {
    static func bar(_ fraction: Double, width: Int = 12) -> String {
        let filled = Int((fraction * Double(width)).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(Int(fraction * 100))%"
    }

    static func describe(_ rollout: Rollout) -> String {
        var lines = ["\(rollout.id): \(rollout.application) \(rollout.version) — \(rollout.summary)"]
        if let reason = rollout.reason { lines.append("  reason: \(reason)") }
        lines.append("  started by \(rollout.actor), \(RelativeTime.describe(rollout.createdAt, now: Date()))")
        var table = TextTable(columns: [
            .init("WAVE"), .init("SITES", alignRight: true), .init("DONE", alignRight: true), .init("IN PROGRESS", alignRight: true),
            .init("FAILED", alignRight: true), .init("PENDING", alignRight: true), .init("STATE"),
        ])
        for (index, wave) in rollout.waves.enumerated() {
            let sites = wave.compactMap { rollout.sites[$0] }
            let name = rollout.hasCanary && index == 0 ? "canary" : "wave \(index + (rollout.hasCanary ? 0 : 1))"
            let state =
                index < rollout.currentWave
                ? "done" : index == rollout.currentWave ? (rollout.state.isActive ? "running" : rollout.state.rawValue) : "queued"
            table.append([
                name, String(sites.count), String(sites.filter { $0.phase == .succeeded }.count),
                String(sites.filter { $0.phase == .progressing }.count),
                String(sites.filter(\.phase.isFailure).count),
                String(sites.filter { [.queued, .offline, .waitingForWindow].contains($0.phase) }.count), state,
            ])
        }
        lines.append(table.render())
        let notDone = rollout.sites.values.filter { $0.phase != .succeeded && $0.phase != .queued }
            .sorted { ($0.phase.isFailure ? 0 : 1, $0.siteID) < ($1.phase.isFailure ? 0 : 1, $1.siteID) }
        if !notDone.isEmpty {
            var sites = TextTable(columns: [.init("SITE"), .init("PHASE"), .init("REASON")])
            for site in notDone.prefix(40) { sites.append([site.siteID, site.phase.rawValue, site.reason ?? ""]) }
            lines.append(sites.render())
            if notDone.count > 40 { lines.append("… \(notDone.count - 40) more (use --output json)") }
        }
        return lines.joined(separator: "\n")
    }
}
