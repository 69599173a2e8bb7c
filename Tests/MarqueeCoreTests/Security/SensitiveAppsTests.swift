import Foundation
import GRDB
import MarqueeTestSupport
import Synchronization
import Testing

@testable import MarqueeCore

/// `sensitive: true` applications leave the desired state of a locked-down site's hosts, so
/// their agents stop them at once; other apps keep running there.
@Suite struct SensitiveAppsTests {
    @Test func aLockdownTakesSensitiveAppsOutOfTheSitesDesiredState() async throws {
        let harness = try await DeploymentServiceTests.Harness()
        let specs = try SpecLoader.load(DeploymentServiceTests.examples)
        #expect(specs.applications.first { $0.name == "vision-analytics" }?.sensitive == true)
        #expect(specs.applications.first { $0.name == "kiosk-ticketing" }?.sensitive == false)
        let service = harness.service()
        _ = try await service.apply(specs, actor: "alice")
        try await service.tick()
        let placed = try await harness.database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT hostID FROM containerInstance WHERE app = 'vision-analytics' ORDER BY id LIMIT 1")
        }
        let hostID = try #require(placed.first)
        let before = try await harness.store.desiredContainers(hostID: hostID)
        #expect(before.containers.contains { $0.app == "vision-analytics" })
        let siteID = try #require(try await harness.store.host(id: hostID)?.siteID)

        let security = SecurityService(store: harness.store, clock: harness.clock) { hosts in harness.changed.withLock { $0 += hosts } }
        harness.changed.withLock { $0 = [] }
        let change = try await security.lockdown(siteID: siteID, reason: "theft", by: .bootstrapAdmin(tenantID: "mtc-platform"))
        #expect(harness.changed.withLock { Set($0) } == Set(change.hostIDs))
        let locked = try await harness.store.desiredContainers(hostID: hostID)
        #expect(!locked.containers.contains { $0.app == "vision-analytics" })
        #expect(locked.containers.count == before.containers.count - before.containers.filter { $0.app == "vision-analytics" }.count)
        #expect(Set(locked.specs.keys) == Set(locked.containers.map(\.id)))

        _ = try await security.unlock(siteID: siteID, reason: "recovered", by: .bootstrapAdmin(tenantID: "mtc-platform"))
        #expect(try await harness.store.desiredContainers(hostID: hostID).containers == before.containers)
    }

    @Test func sensitiveMustBeTrueOrFalse() throws {
        let yaml = """
            apiVersion: marquee/v1
            kind: Application
            name: cams
            version: 1.0.0
            tenant: visionary-analytics
            sensitive: maybe
            services:
              - name: s
                replicas: 1
                containers:
                  - name: c
                    image: cams:1.0.0
            """
        #expect(throws: SpecError.self) { try SpecLoader.parse([(file: "cams.yaml", text: yaml)]) }
        do {
            _ = try SpecLoader.parse([(file: "cams.yaml", text: yaml)])
        } catch {
            #expect(error.description.contains("cams.yaml:6") && error.description.contains("sensitive: expected true or false, found `maybe`"))
        }
    }
}
