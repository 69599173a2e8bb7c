import Foundation
import MarqueeCore

/// Two edge computers of one theater are carried off after hours: they stop calling home for
/// good while the third host (and so the site's power and uplink) stays up. The tower's sweep
/// sees two hosts vanish together and raises `site.hosts_vanished`; the on-call engineer locks
/// the theater down.
struct StolenHardwareScenario: Scenario {
    /// The theater robbed; the first Belgian theater with three hosts (else the first) when nil.
    let siteID: String?
    /// Intervals of normal running before the theft.
    var calmIntervals = 3

    var title: String { "stolen-hardware" + (siteID.map { " \($0)" } ?? "") }

    func run(in context: ScenarioContext) async throws {
        let hostsBySite = Dictionary(grouping: context.hosts, by: \.siteID)
        let candidates = context.sites.filter { (hostsBySite[$0.id]?.count ?? 0) >= 3 }
        guard
            let site = siteID.map({ id in context.sites.first { $0.id == id } })
                ?? candidates.first(where: { $0.country == "BE" }) ?? candidates.first
        else {
            context.narrate("stolen-hardware: no theater \(siteID ?? "with three hosts") in this fleet; nothing stolen")
            return
        }
        let hosts = (hostsBySite[site.id] ?? []).sorted { $0.id < $1.id }
        guard hosts.count >= 3 else {
            context.narrate("stolen-hardware: \(site.id) has \(hosts.count) hosts; a theft needs one left behind")
            return
        }
        try await context.clock.sleep(for: context.heartbeatInterval * calmIntervals)
        let taken = hosts.suffix(2).map(\.id)
        for id in taken { context.network.unplug(hostID: id) }
        context.narrate(
            "stolen-hardware: \(taken.joined(separator: " and ")) were carried out of \(site.name) (\(site.id)); \(hosts[0].id) still calls home")
    }
}
