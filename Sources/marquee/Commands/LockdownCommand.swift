import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee lockdown SITE --reason …`: the on-call engineer's one action after a theft.
struct LockdownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lockdown",
        abstract: "Lock a site down at once: deployments and upgrades freeze there, its enrollment tokens are deleted, no host enrolls.",
        discussion: "Needs a site-provider operator or above. Undo with `marquee unlock SITE --reason …` (platform-admin).")

    @Argument(help: "The site id.") var site: String
    @Option(help: "Why (kept in the event and the audit trail).") var reason: String
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        _ = global.makeLogger("marquee.cli")
        let change = try await global.securityAPI().lockdown(siteID: site, reason: reason)
        switch global.output {
        case .json: Output.printJSON(change)
        case .table:
            print(
                "\(change.site.id) is LOCKED DOWN: \(change.enrollmentTokensRevoked) enrollment token(s) deleted; \(change.hostIDs.count) hosts told."
            )
            print("Revoke stolen hosts: marquee hosts revoke HOST --reason …   Unlock: marquee unlock \(change.site.id) --reason …")
        }
    }
}

/// `marquee unlock SITE --reason …` (platform-admin).
struct UnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unlock", abstract: "Unlock a locked-down site (platform-admin).")

    @Argument(help: "The site id.") var site: String
    @Option(help: "Why (kept in the event and the audit trail).") var reason: String
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        _ = global.makeLogger("marquee.cli")
        let change = try await global.securityAPI().unlock(siteID: site, reason: reason)
        switch global.output {
        case .json: Output.printJSON(change)
        case .table: print("\(change.site.id) is active again; frozen rollouts and upgrades continue there.")
        }
    }
}

/// `marquee hosts revoke HOST --reason …`.
struct RevokeHostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a host (stolen, compromised): its credential stops working on its next call.")

    @Argument(help: "The host id.") var host: String
    @Option(help: "Why (kept in the event and the audit trail).") var reason: String
    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        _ = global.makeLogger("marquee.cli")
        let revoked = try await global.securityAPI().revokeHost(hostID: host, reason: reason)
        switch global.output {
        case .json: Output.printJSON(revoked)
        case .table: print("Revoked \(revoked.id) (serial \(revoked.serialNumber)): it can no longer call home.")
        }
    }
}
