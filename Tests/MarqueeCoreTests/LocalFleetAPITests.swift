import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

@Suite struct LocalFleetAPITests {
    private func api(_ fleet: FleetSnapshot) async throws -> some FleetAPI {
        let store = try await Fixtures.store(with: fleet)
        return LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now })
    }

    @Test func selectsSitesByLabels() async throws {
        let fleet = Fixtures.fleet()
        let api = try await api(fleet)
        let sites = try await api.sites(SiteQuery(select: "country = SE and screens >= 10"))
        let expected = fleet.sites.filter { $0.country == "SE" && Int($0.labels["screens"]!)! >= 10 }.map(\.id)
        #expect(!expected.isEmpty)
        #expect(sites.map(\.id) == expected)
    }

    @Test func aMalformedSelectorIsAnInputErrorWithItsColumn() async throws {
        let api = try await api(Fixtures.fleet(theaters: 5))
        await #expect(throws: SelectorError.unexpectedEnd(column: 11, expected: "a value after '='")) {
            try await api.sites(SiteQuery(select: "country = "))
        }
    }

    @Test func summarisesTheFleetAndItsCountries() async throws {
        let fleet = Fixtures.fleet()
        let api = try await api(fleet)
        let summary = try await api.summary()
        #expect(summary.sites == 750 && summary.countries == 30 && summary.hosts.total == 2_250)
        #expect(summary.hosts.online == fleet.hosts.count { $0.status == .online })
        #expect(summary.healthySites + summary.degradedSites + summary.downSites == 750)
        #expect(summary.asOf == Fixtures.now)
        let countries = try await api.countries()
        #expect(countries.count == 30)
        #expect(countries.reduce(0) { $0 + $1.sites } == 750)
        #expect(countries.first { $0.code == "SE" }?.name == "Sweden")
    }

    @Test func showsASiteWithItsClusterAndEvents() async throws {
        let fleet = Fixtures.fleet()
        let api = try await api(fleet)
        let offline = try #require(fleet.hosts.first { $0.status == .offline })
        let detail = try await api.site(id: offline.siteID)
        #expect(detail.clusters.count == 1)
        #expect(detail.clusters[0].hosts.count == 3)
        #expect(detail.summary.health != .healthy)
        #expect(detail.events.contains { $0.kind == "host.offline" && $0.subject == "host/\(offline.id)" })
    }

    @Test func unknownIdsAreNotFound() async throws {
        let api = try await api(Fixtures.fleet(theaters: 5))
        await #expect(throws: FleetAPIError.notFound(kind: "site", id: "xx-nowhere-000")) { try await api.site(id: "xx-nowhere-000") }
        await #expect(throws: FleetAPIError.notFound(kind: "host", id: "nope")) { try await api.host(id: "nope") }
    }

    @Test func selectsHostsThroughTheirSitesLabels() async throws {
        let fleet = Fixtures.fleet()
        let api = try await api(fleet)
        let hosts = try await api.hosts(HostQuery(select: "country = JP", status: .online))
        let japanese = Set(fleet.sites.filter { $0.country == "JP" }.map(\.id))
        #expect(!hosts.isEmpty)
        #expect(hosts.allSatisfy { japanese.contains($0.siteID) && $0.status == .online })
        let detail = try await api.host(id: hosts[0].id)
        #expect(detail.site.country == "JP")
        #expect(!detail.containers.isEmpty)
    }
}
