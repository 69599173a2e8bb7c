import Foundation

/// The theft signal: two or more hosts of one theater stop calling home close together while
/// another host of the same theater still calls home — so the site's power and uplink are up.
/// A WAN outage or a power cut silences every host at once and raises nothing here.
public enum VanishedHosts {
    /// Hosts that fell silent within this long of each other count as vanishing together.
    public static let window: TimeInterval = 600

    /// The critical `site.hosts_vanished` event for `siteID`, raised once: when this sweep's newly
    /// offline hosts bring the count of hosts silent within ``window`` to two or more.
    ///
    /// - Parameters:
    ///   - hosts: every host of the site, as they are after the sweep.
    ///   - newlyOffline: the ids this sweep turned offline.
    public static func alert(siteID: String, hosts: [EdgeHost], newlyOffline: Set<String>, at time: Date) -> Event? {
        let silent = hosts.filter { $0.status == .offline && ($0.lastSeen.map { time.timeIntervalSince($0) <= window + 120 } ?? false) }
        let before = silent.filter { !newlyOffline.contains($0.id) }
        let calling = hosts.filter { $0.status != .offline && $0.status != .revoked && $0.status != .pending }
        guard silent.count >= 2, before.count < 2, !calling.isEmpty else { return nil }
        let names = silent.map(\.id).sorted().joined(separator: ", ")
        return Event(
            time: time, kind: "site.hosts_vanished", severity: .critical, subject: "site/\(siteID)",
            message:
                "\(silent.count) of \(hosts.count) hosts of \(siteID) stopped calling home together (\(names)) while "
                + "\(calling.map(\.id).sorted().joined(separator: ", ")) still does: possible theft — lock it down if unexplained",
            actor: "system")
    }
}
