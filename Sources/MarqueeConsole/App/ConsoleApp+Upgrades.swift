import Foundation
import MarqueeCore

extension ConsoleApp {
    /// The plan shown or selected on an upgrade screen.
    static func selectedUpgrade(_ state: ConsoleState) -> Upgrade? {
        let name: String?
        switch state.screen.kind {
        case .upgrades: name = state.table.row(at: state.screen.cursor)?.id
        case .upgrade(let current): name = current
        default: name = nil
        }
        return name.flatMap { name in state.data?.upgrades.first { $0.id == name } }
    }

    /// Opens the confirmation for pausing, resuming or aborting the selected upgrade plan.
    static func askToSteerUpgrade(_ state: inout ConsoleState, abort: Bool) {
        guard let upgrade = selectedUpgrade(state) else {
            state.flash = Flash(level: .info, text: "no upgrade plan selected")
            return
        }
        let command: UpgradeService.Command = abort ? .abort : upgrade.state == .paused ? .resume : .pause
        guard upgrade.state.isActive || (command == .abort && upgrade.state == .halted) else {
            state.flash = Flash(level: .warning, text: "\(upgrade.id) is \(upgrade.state.rawValue); nothing to \(command.rawValue)")
            return
        }
        let inFlight = upgrade.sites.values.compactMap(\.host).sorted()
        let consequence: String =
            switch command {
            case .pause: "No new host starts; hosts in flight (\(inFlight.count)) finish their steps."
            case .resume: "Sites start hosts again, one at a time per theater."
            case .abort: "The plan ends: hosts in flight (\(inFlight.count)) finish safely and are uncordoned; nothing new starts."
            }
        let (done, total) = upgrade.hostProgress
        let dialog = Dialog(
            title: "\(command.rawValue.capitalized) \(upgrade.id)?",
            message: ["\(upgrade.plan.targets) · \(done)/\(total) hosts upgraded · \(upgrade.state.rawValue)", "", consequence],
            typedConfirmation: command == .abort ? upgrade.id : nil, dangerous: command == .abort)
        state.mode = .confirm(dialog, action: .upgradeCommand(upgrade.id, command))
    }

    /// `:upgrade start FILE` — reads the plan and asks the operator to type its name.
    static func askToStartUpgrade(_ state: inout ConsoleState, path: String) {
        guard !state.readOnly else {
            state.flash = Flash(level: .warning, text: "read-only console: start it with --write, or `marquee upgrade start -f \(path)`")
            return
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            state.flash = Flash(level: .error, text: "cannot read \(path)")
            return
        }
        let (plan, problems) = UpgradePlanParser.parse(yaml: text, file: path)
        guard let plan else {
            state.flash = Flash(level: .error, text: problems.first.map { "\($0)" } ?? "\(path) holds no upgrade plan")
            return
        }
        let dialog = Dialog(
            title: "Start upgrade \(plan.name)?",
            message: [
                "\(plan.targets) on sites matching `\(plan.select)`",
                "One host at a time per theater: cordon › drain › upgrade › gate (healthy \(RelativeDuration.format(plan.gates.healthyFor))).",
                "Type the plan name to start it.",
            ], typedConfirmation: plan.name, dangerous: true)
        state.mode = .confirm(dialog, action: .startUpgrade(SpecFile(path: path, content: text)))
    }

    /// The header's note while a plan runs: `upgrade containerd-2.0.1 7/23`.
    static func upgradeInProgress(_ data: FleetData?) -> String? {
        guard let running = data?.upgrades.first(where: { $0.state == .running || $0.sites.values.contains { $0.host != nil } }) else { return nil }
        let (done, total) = running.hostProgress
        return "upgrade \(running.id) \(done)/\(total)"
    }
}
