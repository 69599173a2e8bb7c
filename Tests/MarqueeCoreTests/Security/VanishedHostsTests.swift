import Foundation
import GRDB
import MarqueeTestSupport
import Testing

@testable import MarqueeCore

/// Two hosts of a theater going silent while the third still calls home raises one critical
/// alert; a whole theater going silent (power, uplink) raises none.
@Suite struct VanishedHostsTests {
    @Test func twoSilentHostsBesideOneThatCallsHomeRaiseOneAlert() async throws {
        let fleet = Fixtures.fleet(theaters: 4)
        let store = try await Fixtures.store(with: fleet)
        let stolen = try #require(fleet.sites.first)
        let survivor = try #require(fleet.hosts.first { $0.siteID == stolen.id })
        let start = Fixtures.now
        // Every host last called home at `start`; the survivor keeps calling.
        try await store.writer.write { db in
            try db.execute(sql: "UPDATE host SET status = 'online', lastSeen = ?", arguments: [start])
            try db.execute(sql: "UPDATE host SET lastSeen = ? WHERE id = ?", arguments: [start.addingTimeInterval(60), survivor.id])
        }
        let offline = try await store.markOffline(lastSeenBefore: start.addingTimeInterval(30), at: start.addingTimeInterval(60))
        #expect(offline.count == fleet.hosts.count - 1)
        let alerts = try await store.events(EventQuery(limit: 50, kindPrefix: "site.hosts_vanished"))
        // Only the theater with a host still calling home: the others went dark entirely.
        #expect(alerts.map(\.subject) == ["site/\(stolen.id)"])
        let alert = try #require(alerts.first)
        #expect(alert.severity == .critical && alert.message.contains("2 of 3 hosts of \(stolen.id)") && alert.message.contains(survivor.id))

        // A later sweep with nothing new raises nothing more.
        _ = try await store.markOffline(lastSeenBefore: start.addingTimeInterval(30), at: start.addingTimeInterval(90))
        #expect(try await store.events(EventQuery(limit: 50, kindPrefix: "site.hosts_vanished")).count == 1)
    }

    @Test func hostsThatWentSilentFarApartAreNotATheft() {
        let now = Fixtures.now
        func host(_ id: String, _ status: HostStatus, lastSeen: TimeInterval) -> EdgeHost {
            var host = Fixtures.fleet(theaters: 1).hosts[0]
            host.id = id
            host.status = status
            host.lastSeen = now.addingTimeInterval(lastSeen)
            return host
        }
        // One host died a day ago; a second goes silent now: not two vanishing together.
        let hosts = [host("h1", .offline, lastSeen: -86_400), host("h2", .offline, lastSeen: -40), host("h3", .online, lastSeen: -5)]
        #expect(VanishedHosts.alert(siteID: "s", hosts: hosts, newlyOffline: ["h2"], at: now) == nil)
        let together = [host("h1", .offline, lastSeen: -200), host("h2", .offline, lastSeen: -40), host("h3", .online, lastSeen: -5)]
        #expect(VanishedHosts.alert(siteID: "s", hosts: together, newlyOffline: ["h2"], at: now)?.kind == "site.hosts_vanished")
        #expect(VanishedHosts.alert(siteID: "s", hosts: together, newlyOffline: [], at: now) == nil)
    }
}
