import Foundation
import Logging
import MarqueeCore

extension ConsoleRuntime {
    /// Runs an upgrade request off the UI thread, then reports it and refreshes the data.
    func runUpgrade(_ mailbox: Mailbox, _ what: String, _ body: @escaping @Sendable (any UpgradeAPI, String) async throws -> Upgrade) {
        Task { [upgrades, logger] in
            guard let upgrades else {
                mailbox.post(.actionFinished(Flash(level: .error, text: "this console cannot run upgrades")))
                return
            }
            do {
                let upgrade = try await body(upgrades, OperatorIdentity.current() + " (console)")
                logger.notice("Upgrade command", metadata: ["upgrade": "\(upgrade.id)", "request": "\(what)"])
                mailbox.post(
                    .actionFinished(Flash(level: .info, text: "\(upgrade.id): \(upgrade.state.rawValue)\(upgrade.reason.map { " — \($0)" } ?? "")")))
                await refresh(mailbox)
            } catch {
                mailbox.post(.actionFinished(Flash(level: .error, text: "\(what): \(error)")))
            }
        }
    }
}
