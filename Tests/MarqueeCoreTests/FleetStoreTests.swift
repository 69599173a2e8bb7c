import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

@Suite struct FleetStoreTests {
    @Test func aFleetReadsBackAsItWasWritten() async throws {
        // Given a generated fleet written to a store
        let fleet = Fixtures.fleet(theaters: 40)
        let store = try await Fixtures.store(with: fleet)

        // Then sites, hosts, clusters and containers read back equal
        #expect(try await store.sites() == fleet.sites)
        #expect(try await store.hosts(siteID: nil, status: nil) == fleet.hosts.sorted { $0.id < $1.id })
        let first = fleet.clusters[0]
        #expect(try await store.clusters(siteID: first.siteID) == [first])
        let host = first.hosts[0]
        #expect(try await store.containers(hostID: host.id) == fleet.containers.filter { $0.hostID == host.id }.sorted { $0.id < $1.id })
        #expect(try await store.tenants().map(\.id) == ["mtc-platform", "visionary-analytics"])
        #expect(try await store.siteCount() == 40)
    }

    @Test func filtersHostsBySiteAndStatus() async throws {
        let fleet = Fixtures.fleet(theaters: 200)
        let store = try await Fixtures.store(with: fleet)
        let offline = try await store.hosts(siteID: nil, status: .offline)
        #expect(!offline.isEmpty)
        #expect(offline.allSatisfy { $0.status == .offline })
        #expect(offline.count == fleet.hosts.count { $0.status == .offline })
        let site = fleet.sites[5].id
        #expect(try await store.hosts(siteID: site, status: nil).map(\.id) == ["\(site)-h1", "\(site)-h2", "\(site)-h3"])
    }

    @Test func aFailedReplaceLeavesThePreviousFleetIntact() async throws {
        // Given a stored fleet
        let fleet = Fixtures.fleet(theaters: 10)
        let store = try await Fixtures.store(with: fleet)

        // When a replacement violates a constraint half-way (two hosts share a serial number)
        var broken = Fixtures.fleet(theaters: 20, seed: 2)
        broken.clusters[15].hosts[0].serialNumber = broken.clusters[0].hosts[0].serialNumber
        await #expect(throws: StoreError.self) { try await store.replaceFleet(with: broken) }

        // Then nothing of the replacement landed
        #expect(try await store.sites() == fleet.sites)
        #expect(try await store.hosts(siteID: nil, status: nil).count == 30)
    }

    @Test func eventsComeNewestFirstAndFilter() async throws {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        let base = Fixtures.now
        for (offset, severity, subject) in [
            (0.0, Event.Severity.info, "site/se-sto-001"), (10, .warning, "host/se-sto-001-h1"), (20, .critical, "host/se-sto-0011-h1"),
            (30, .notice, "site/se_sto_001"),
        ] {
            _ = try await store.record(
                Event(time: base.addingTimeInterval(offset), kind: "k", severity: severity, subject: subject, message: "m", actor: "t"))
        }
        #expect(try await store.events(EventQuery()).map(\.time.timeIntervalSince1970) == [30, 20, 10, 0].map { base.timeIntervalSince1970 + $0 })
        #expect(try await store.events(EventQuery(minimumSeverity: .warning)).map(\.severity) == [.critical, .warning])
        #expect(try await store.events(EventQuery(subjectPrefix: "host/se-sto-001-")).map(\.subject) == ["host/se-sto-001-h1"])
        // `_` in a prefix is a literal, not a LIKE wildcard
        #expect(try await store.events(EventQuery(subjectPrefix: "site/se_")).map(\.subject) == ["site/se_sto_001"])
        #expect(try await store.events(EventQuery(limit: 1)).count == 1)
        #expect(try await store.events(EventQuery(since: base.addingTimeInterval(15))).count == 2)
    }

    @Test func twoConnectionsToOneFileWaitForEachOtherInsteadOfFailing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("shared.db")
        let first = SQLiteFleetStore(try FleetDatabase.open(at: path))
        let second = SQLiteFleetStore(try FleetDatabase.open(at: path))
        // Small enough that the other writer's whole replace fits in the busy timeout on a loaded 2-core runner.
        let fleet = Fixtures.fleet(theaters: 30)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await first.replaceFleet(with: fleet) }
            group.addTask { try await second.replaceFleet(with: fleet) }
            group.addTask {
                for index in 0..<50 {
                    _ = try await second.record(
                        Event(time: Fixtures.now, kind: "k", severity: .info, subject: "s/\(index)", message: "m", actor: "t"))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await first.siteCount() == 30)
    }
}

@Suite struct FleetRevisionTests {
    @Test func everyWriteBumpsTheRevisionAndReadsDoNot() async throws {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        let start = try await store.revision()
        _ = try await store.sites()
        #expect(try await store.revision() == start)
        try await store.replaceFleet(with: Fixtures.fleet(theaters: 3))
        let afterReplace = try await store.revision()
        #expect(afterReplace > start)
        _ = try await store.record(Event(time: Fixtures.now, kind: "k", severity: .info, subject: "s", message: "m", actor: "a"))
        #expect(try await store.revision() > afterReplace)
    }
}
