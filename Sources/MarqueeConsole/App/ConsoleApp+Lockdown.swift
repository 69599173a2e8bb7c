import Foundation
import MarqueeCore

extension ConsoleApp {
    /// The theater Ctrl-L would lock: the one on screen, the selected theater or host, or
    /// the subject of the selected event.
    static func lockdownTarget(_ state: ConsoleState) -> String? {
        let row = state.table.row(at: state.screen.cursor)?.id
        switch state.screen.kind {
        case .site(let id): return id
        case .sites: return row
        case .host(let id): return state.data?.hosts.first { $0.id == id }?.siteID
        case .hosts, .pendingHosts: return row.flatMap { id in state.data?.hosts.first { $0.id == id }?.siteID }
        case .events:
            guard let row, let event = state.data?.events.first(where: { "event/\($0.id ?? -1)" == row }) else { return nil }
            let parts = event.subject.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            return parts[0] == "site" ? parts[1] : parts[0] == "host" ? state.data?.hosts.first { $0.id == parts[1] }?.siteID : nil
        default: return nil
        }
    }

    /// Ctrl-L: asks the operator to type the theater's id, then locks it down.
    static func askToLockdown(_ state: inout ConsoleState) {
        guard let siteID = lockdownTarget(state), let summary = state.data?.sitesByID[siteID] else {
            state.flash = Flash(level: .info, text: "open or select a theater (or a host or event of it) to lock it down")
            return
        }
        guard summary.site.status != .lockedDown else {
            state.flash = Flash(
                level: .warning, text: "\(siteID) is already locked down (unlock: marquee unlock \(siteID) --reason …, platform-admin)")
            return
        }
        let offline = (state.data?.hostsBySite[siteID] ?? []).filter { $0.status != .online }.map(\.id)
        let dialog = Dialog(
            title: "Lock down \(siteID)?",
            message: [
                "\(summary.site.name), \(summary.site.city) · \(summary.hosts.online)/\(summary.hosts.total) hosts online"
                    + (offline.isEmpty ? "" : " · not online: \(offline.joined(separator: ", "))"),
                "",
                "Deployments and upgrades freeze there, its enrollment tokens are deleted,",
                "no host enrolls, and sensitive apps stop. Only a platform admin can unlock it.",
                "Type the theater id to lock it down.",
            ], typedConfirmation: siteID, dangerous: true)
        state.mode = .confirm(dialog, action: .lockdownSite(siteID))
    }

    /// Ctrl-U: asks the operator to type the locked theater's id, then unlocks it.
    static func askToUnlock(_ state: inout ConsoleState) {
        guard let siteID = lockdownTarget(state), let summary = state.data?.sitesByID[siteID] else {
            state.flash = Flash(level: .info, text: "open or select a locked theater to unlock it")
            return
        }
        guard summary.site.status == .lockedDown else {
            state.flash = Flash(level: .info, text: "\(siteID) is not locked down")
            return
        }
        let dialog = Dialog(
            title: "Unlock \(siteID)?",
            message: [
                "\(summary.site.name), \(summary.site.city) · \(summary.hosts.online)/\(summary.hosts.total) hosts online",
                "",
                "Frozen deployments and upgrades continue, hosts may enroll again, sensitive",
                "apps start, and secrets are delivered under a new site key. Revoke stolen",
                "hosts first (Ctrl-K). Platform admins only. Type the theater id to unlock it.",
            ], typedConfirmation: siteID, dangerous: true)
        state.mode = .confirm(dialog, action: .unlockSite(siteID))
    }

    /// Ctrl-K: asks the operator to type the host's id, then revokes its credential.
    static func askToRevokeHost(_ state: inout ConsoleState) {
        let row = state.table.row(at: state.screen.cursor)?.id
        let hostID: String? =
            switch state.screen.kind {
            case .host(let id): id
            case .site, .hosts, .pendingHosts: row
            default: nil
            }
        guard let hostID, let host = state.data?.hosts.first(where: { $0.id == hostID }) else {
            state.flash = Flash(level: .info, text: "open or select a host to revoke it")
            return
        }
        guard host.status != .revoked else {
            state.flash = Flash(level: .info, text: "\(hostID) is already revoked")
            return
        }
        let dialog = Dialog(
            title: "Revoke \(hostID)?",
            message: [
                "\(host.hostname) at \(host.siteID) · serial \(host.serialNumber) · \(host.status.rawValue)",
                "",
                "Its credential stops working at once: no heartbeat, no desired state, no site",
                "key. Only a new enrollment brings it back. Type the host id to revoke it.",
            ], typedConfirmation: hostID, dangerous: true)
        state.mode = .confirm(dialog, action: .revokeHost(hostID))
    }
}
