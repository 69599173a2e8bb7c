import Crypto
import Foundation
import MarqueeTestSupport
import Testing

@testable import MarqueeCore

/// Secrets reach only the hosts whose containers reference them, sealed for the site, and the site
/// key is given out only to sites that are not locked down.
@Suite struct EdgeSecretDeliveryTests {
    static let platformOps = SecretVaultTests.platformOps
    static let vendorOps = SecretVaultTests.vendorOps
    static let token = Data(#"{"uplink-token":"UPLINK-PLAINTEXT-31c9"}"#.utf8)
    static let license = Data("VA-LICENSE-PLAINTEXT-0b7e".utf8)

    private func container(_ app: String, tenant: String, host: String) -> ContainerInstance {
        ContainerInstance(
            id: "\(host)/\(app)/main-0", app: app, service: "main", tenantID: tenant, hostID: host, runtimeInstanceID: "", image: "img",
            state: .running, restarts: 0, startedAt: nil)
    }

    private func spec(_ env: [String: String]) -> ContainerSpec { ContainerSpec(name: "main", image: "img", env: env) }

    @Test func onlyReferencedSecretsOfTheContainersTenantAndAllowedAppsAreDelivered() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-edge-secrets")
        defer { directory.remove() }
        let store = SQLiteFleetStore(try FleetDatabase.open(at: directory.file("fleet.db"), create: true))
        try await store.replaceFleet(with: Fixtures.fleet(theaters: 2))
        let master = MasterKey.generate()
        let vault = SecretVault(store: store, master: master)
        _ = try await vault.put(path: "platform/people-counter", value: Self.token, apps: ["people-counter"], by: Self.platformOps)
        _ = try await vault.put(path: "platform/unused", value: Data("NEVER-SENT".utf8), apps: [], by: Self.platformOps)
        _ = try await vault.put(path: "visionary/license", value: Self.license, apps: [], by: Self.vendorOps)
        let site = try #require(try await store.sites().first)
        let host = "\(site.id)-h1"
        let delivery = EdgeSecretDelivery(store: store, master: master)

        let counter = container("people-counter", tenant: "mtc-platform", host: host)
        let kiosk = container("kiosk-ticketing", tenant: "mtc-platform", host: host)
        let vision = container("vision-analytics", tenant: "visionary-analytics", host: host)
        let specs = [
            counter.id: spec(["TOKEN": "${secret:platform/people-counter/uplink-token}"]),
            // Limited to people-counter: the kiosk does not get it.
            kiosk.id: spec(["TOKEN": "${secret:platform/people-counter/uplink-token}"]),
            // The vendor names the platform's secret: another tenant's, never delivered to it.
            vision.id: spec(["LICENSE": "${secret:visionary/license/value}", "STOLEN": "${secret:platform/unused/value}"]),
        ]
        #expect(try await delivery.bundle(site: site, containers: [], specs: [:]) == nil)
        let both = try #require(try await delivery.bundle(site: site, containers: [counter, vision], specs: specs))
        #expect(both.items.map(\.path) == ["platform/people-counter", "visionary/license"])
        #expect(both.withheld == nil && both.keyEpoch == 1)
        let kioskOnly = try #require(try await delivery.bundle(site: site, containers: [kiosk], specs: specs))
        #expect(kioskOnly.items.isEmpty)

        // Sealed for this site and tenant: opens with the site key, not with another site's, and
        // one tenant's key for the site does not open another tenant's secret.
        let host1 = try #require(try await store.host(id: host))
        let grant = try await delivery.unseal(host: host1)
        #expect(grant.epoch == 1 && grant.siteID == site.id)
        let siteKey = SymmetricKey(data: grant.key)
        #expect(try EdgeSecretCipher.open(both.items[0], siteID: site.id, siteKey: siteKey) == Self.token)
        #expect(try EdgeSecretCipher.open(both.items[1], siteID: site.id, siteKey: siteKey) == Self.license)
        #expect(throws: VaultError.self) { try EdgeSecretCipher.open(both.items[0], siteID: "other-site", siteKey: siteKey) }
        var moved = both.items[1]
        moved.tenantID = "mtc-platform"
        #expect(throws: VaultError.self) { try EdgeSecretCipher.open(moved, siteID: site.id, siteKey: siteKey) }
        #expect(throws: VaultError.self) { try EdgeSecretCipher.open(both.items[0], siteID: site.id, siteKey: SymmetricKey(size: .bits256)) }
        // Nothing of the values is in the bundle as sent.
        let wire = try JSONEncoder().encode(both)
        #expect(wire.firstRange(of: Data("UPLINK-PLAINTEXT".utf8)) == nil && wire.firstRange(of: Data("VA-LICENSE-PLAINTEXT".utf8)) == nil)
    }

    @Test func aLockedSiteGetsNothingAndItsKeyIsReplacedAfterTheUnlock() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-edge-lock")
        defer { directory.remove() }
        let store = SQLiteFleetStore(try FleetDatabase.open(at: directory.file("fleet.db"), create: true))
        try await store.replaceFleet(with: Fixtures.fleet(theaters: 1))
        let master = MasterKey.generate()
        _ = try await SecretVault(store: store, master: master).put(
            path: "platform/people-counter", value: Self.token, apps: [], by: Self.platformOps)
        let delivery = EdgeSecretDelivery(store: store, master: master)
        let security = SecurityService(store: store)
        let siteID = try #require(try await store.sites().first?.id)
        let counter = container("people-counter", tenant: "mtc-platform", host: "\(siteID)-h1")
        let specs = [counter.id: spec(["TOKEN": "${secret:platform/people-counter/uplink-token}"])]
        func bundle() async throws -> EdgeSecretBundle? {
            try await delivery.bundle(site: try #require(try await store.site(id: siteID)), containers: [counter], specs: specs)
        }
        let host = try #require(try await store.host(id: "\(siteID)-h1"))
        let before = try await delivery.unseal(host: host)

        _ = try await security.lockdown(siteID: siteID, reason: "two hosts stolen", by: .bootstrapAdmin(tenantID: "mtc-platform"))
        let locked = try #require(try await bundle())
        #expect(locked.items.isEmpty && locked.withheld?.contains("locked down") == true)
        await #expect(throws: LifecycleError.siteLockedDown(siteID)) { try await delivery.unseal(host: host) }
        let audit = try await store.auditRecords(after: 0, limit: 100)
        #expect(audit.contains { $0.action == "denied secrets.unseal" && $0.target == siteID && $0.actor == "host \(host.id)" })

        _ = try await security.unlock(siteID: siteID, reason: "hosts re-imaged", by: .bootstrapAdmin(tenantID: "mtc-platform"))
        let after = try await delivery.unseal(host: host)
        #expect(after.epoch == before.epoch + 1 && after.key != before.key)
        let unlocked = try #require(try await bundle())
        #expect(unlocked.keyEpoch == after.epoch && unlocked.items.count == 1)
        #expect(throws: VaultError.self) { try EdgeSecretCipher.open(unlocked.items[0], siteID: siteID, siteKey: SymmetricKey(data: before.key)) }
        #expect(try EdgeSecretCipher.open(unlocked.items[0], siteID: siteID, siteKey: SymmetricKey(data: after.key)) == Self.token)
        // Without the master key nothing is delivered and no key is given out.
        let sealed = EdgeSecretDelivery(store: store, master: nil)
        #expect(try await sealed.bundle(site: try #require(try await store.site(id: siteID)), containers: [counter], specs: specs)?.withheld != nil)
        await #expect(throws: VaultError.sealed) { try await sealed.unseal(host: host) }
    }
}
