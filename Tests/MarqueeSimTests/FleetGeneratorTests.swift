import Foundation
import MarqueeCore
import MarqueeSim
import MarqueeTestSupport
import Testing

@Suite struct FleetGeneratorTests {
    @Test func theSameSeedGivesTheSameFleet() {
        #expect(Fixtures.fleet(seed: 7) == Fixtures.fleet(seed: 7))
        #expect(Fixtures.fleet(seed: 7) != Fixtures.fleet(seed: 8))
    }

    @Test func theDefaultFleetHasTheChainsShape() throws {
        let fleet = Fixtures.fleet()
        #expect(fleet.sites.count == 750)
        #expect(Set(fleet.sites.map(\.country)).count == 30)
        #expect(fleet.hosts.count == 2_250)
        #expect(fleet.clusters.allSatisfy { $0.hosts.count == 3 })
        #expect(Set(fleet.sites.map(\.id)).count == 750)
        #expect(Set(fleet.hosts.map(\.id)).count == 2_250)
        #expect(Set(fleet.hosts.map(\.serialNumber)).count == 2_250)
        // More theaters in large markets
        let perCountry = Dictionary(grouping: fleet.sites, by: \.country).mapValues(\.count)
        #expect(perCountry["US"]! > perCountry["SE"]!)
        #expect(perCountry["SE"]! > perCountry["AE"]!)
    }

    @Test func everySiteCarriesConsistentLabels() throws {
        let idPattern = try Regex("^[a-z]{2}-[a-z]{3}-[0-9]{3}$")
        for site in Fixtures.fleet().sites {
            for key in LabelKey.required { #expect(site.labels[key] != nil, "\(site.id) lacks \(key)") }
            #expect(site.id.wholeMatch(of: idPattern) != nil)
            #expect(site.labels["country"] == site.country && site.labels["city"] == site.city)
            #expect(TimeZone(identifier: site.timeZone) != nil, "\(site.timeZone)")
            let screens = try #require(Int(site.labels["screens"]!))
            switch site.labels["size"] {
            case "small": #expect((4...8).contains(screens))
            case "medium": #expect((9...16).contains(screens))
            case "large": #expect((17...30).contains(screens))
            default: Issue.record("unexpected size \(site.labels["size"] ?? "nil")")
            }
            #expect(["kiosk", "standard", "large"].contains(site.labels["snackbar"]))
        }
    }

    @Test func hostsMixOperatingSystemsKernelsAndRuntimes() {
        let hosts = Fixtures.fleet().hosts
        #expect(Set(hosts.map(\.osDescription)).count >= 4)
        #expect(Set(hosts.map(\.kernelRelease)).count >= 8)
        #expect(Set(hosts.map(\.runtimeName)) == ["containerd", "podman"])
        #expect(Set(hosts.map(\.agentVersion)).count >= 2)
        #expect(hosts.count { $0.status == .online } > 2_000)
        #expect(hosts.contains { $0.status == .offline })
        #expect(hosts.filter { $0.status == .pending }.allSatisfy { $0.lastSeen == nil })
    }

    @Test func tenantsAndApplicationsAreTheChainsAndTheVendors() {
        let fleet = Fixtures.fleet()
        #expect(fleet.tenants.map(\.kind) == [.siteProvider, .applicationOwner])
        #expect(fleet.applications.contains { $0.name == "people-counter" && $0.tenantID == "mtc-platform" })
        #expect(fleet.applications.contains { $0.tenantID == "visionary-analytics" })
        let hostIDs = Set(fleet.hosts.map(\.id))
        #expect(fleet.containers.allSatisfy { hostIDs.contains($0.hostID) })
    }

    @Test func apportionsExactlyTheRequestedTheaters() {
        for total in [1, 29, 30, 750, 10_000] {
            #expect(WorldCatalog.apportion(total).reduce(0) { $0 + $1.1 } == total)
        }
    }

    @Test func refusesImpossibleSizes() {
        #expect(throws: FleetGenerator.OptionsError.theaterCount(0)) { try FleetGenerator(.init(theaters: 0, now: Fixtures.now)) }
    }

    @Test func theSelectorBenchmarkDoesRealWork() throws {
        let result = try SelectorBenchmark(sites: Fixtures.fleet().sites, iterations: 2).run()
        #expect(result.selectors == 100)
        #expect(result.evaluationsPerIteration == 75_000)
        #expect(result.matches > 0 && result.matches < 75_000)
        #expect(result.dictionary.p50Milliseconds > 0 && result.indexed.p50Milliseconds > 0)
    }
}
