import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

@Suite struct ModelCodingTests {
    private func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: encoder.encode(value))
    }

    @Test func everyModelTypeSurvivesJSON() throws {
        let fleet = Fixtures.fleet(theaters: 12)
        for site in fleet.sites { #expect(try roundTrip(site) == site) }
        for host in fleet.hosts { #expect(try roundTrip(host) == host) }
        for cluster in fleet.clusters { #expect(try roundTrip(cluster) == cluster) }
        for tenant in fleet.tenants { #expect(try roundTrip(tenant) == tenant) }
        for application in fleet.applications { #expect(try roundTrip(application) == application) }
        for container in fleet.containers { #expect(try roundTrip(container) == container) }
        for event in fleet.events { #expect(try roundTrip(event) == event) }
    }

    @Test func enumsEncodeAsTheirDocumentedStrings() throws {
        let tenant = Tenant(id: "visionary-analytics", name: "Visionary Analytics", kind: .applicationOwner)
        let json = String(decoding: try JSONEncoder().encode(tenant), as: UTF8.self)
        #expect(json.contains("\"kind\":\"applicationOwner\""))
        #expect(HostStatus.allCases.map(\.rawValue) == ["pending", "online", "degraded", "offline", "cordoned", "upgrading", "revoked"])
    }

    @Test func hostStatusSeverityOrdersWorstLast() {
        #expect(HostStatus.online < .degraded)
        #expect(HostStatus.degraded < .offline)
        #expect([HostStatus.online, .revoked, .cordoned].max() == .revoked)
    }

    @Test func siteHealthFollowsHostCounts() {
        var counts = HostCounts()
        #expect(SiteHealth(counts) == .unknown)
        counts.add(.online)
        counts.add(.online)
        #expect(SiteHealth(counts) == .healthy)
        counts.add(.offline)
        #expect(SiteHealth(counts) == .degraded)
        #expect(counts.total == 3 && counts.notOnline == 1)
        var down = HostCounts()
        down.add(.offline)
        down.add(.revoked)
        #expect(SiteHealth(down) == .down)
    }
}
