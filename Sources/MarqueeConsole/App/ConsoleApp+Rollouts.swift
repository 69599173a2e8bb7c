import Foundation
import MarqueeCore

extension ConsoleApp {
    /// Opens the confirmation for pausing, resuming, aborting or rolling back the selected rollout.
    static func askToSteer(_ state: inout ConsoleState, _ action: ConsoleAction) {
        let id: String?
        switch state.screen.kind {
        case .rollouts: id = state.table.row(at: state.screen.cursor)?.id
        case .rollout(let current): id = current
        default:
            state.flash = Flash(level: .info, text: "pause, abort and rollback work on :rollouts and a rollout")
            return
        }
        guard let id, let rollout = state.data?.rollouts.first(where: { $0.id == id }) else {
            state.flash = Flash(level: .info, text: "no rollout selected")
            return
        }
        let command: RolloutEngine.Command =
            switch action {
            case .pauseResume: rollout.paused ? .resume : .pause
            case .abortRollout: .abort
            default: .rollback
            }
        guard command == .rollback || rollout.state.isActive else {
            state.flash = Flash(level: .warning, text: "\(id) is \(rollout.state.rawValue); only a rollback applies")
            return
        }
        let consequence: String =
            switch command {
            case .pause: "No new sites start; sites in progress are still watched."
            case .resume: "Sites start again, wave by wave."
            case .abort: "Sites not started are skipped; sites already changed keep \(rollout.version)."
            case .rollback: "Every site this rollout changed goes back to its previous version."
            }
        let dangerous = command == .abort || command == .rollback
        let dialog = Dialog(
            title: "\(command.rawValue.capitalized) \(id)?", message: [rollout.summary, "", consequence], typedConfirmation: dangerous ? id : nil,
            dangerous: dangerous)
        state.mode = .confirm(dialog, action: .rolloutCommand(id, command))
    }
}
