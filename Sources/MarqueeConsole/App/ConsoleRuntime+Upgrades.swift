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

    /// Runs a security action (unlock, revoke) off the UI thread with a reason naming the
    /// operator, then reports it and refreshes the data.
    func runSecurityAction(
        _ mailbox: Mailbox, _ what: String, _ body: @escaping @Sendable (any SecurityAPI, String) async throws -> String
    ) {
        Task { [security, logger] in
            guard let security else {
                mailbox.post(.actionFinished(Flash(level: .error, text: "this console cannot \(what)")))
                return
            }
            do {
                let text = try await body(security, "\(what) from the console by \(OperatorIdentity.current())")
                logger.notice("Security action", metadata: ["action": "\(what)"])
                mailbox.post(.actionFinished(Flash(level: .warning, text: text)))
                await refresh(mailbox)
            } catch {
                mailbox.post(.actionFinished(Flash(level: .error, text: "\(what): \(error)")))
            }
        }
    }

    /// Locks a theater down off the UI thread, then reports it and refreshes the data.
    func runLockdown(_ mailbox: Mailbox, _ siteID: String) {
        Task { [security, logger] in
            guard let security else {
                mailbox.post(.actionFinished(Flash(level: .error, text: "this console cannot lock sites down")))
                return
            }
            do {
                let change = try await security.lockdown(siteID: siteID, reason: "locked down from the console by \(OperatorIdentity.current())")
                logger.notice("Site locked down", metadata: ["site": "\(siteID)"])
                mailbox.post(
                    .actionFinished(
                        Flash(
                            level: .warning,
                            text:
                                "\(siteID) LOCKED DOWN · \(change.enrollmentTokensRevoked) enrollment token(s) deleted · revoke stolen hosts: marquee hosts revoke HOST"
                        )))
                await refresh(mailbox)
            } catch {
                mailbox.post(.actionFinished(Flash(level: .error, text: "lockdown \(siteID): \(error)")))
            }
        }
    }
}
