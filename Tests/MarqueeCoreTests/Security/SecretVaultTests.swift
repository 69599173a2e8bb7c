import Foundation
import GRDB
import MarqueeTestSupport
import Testing

@testable import MarqueeCore

/// The vault on a real SQLite file: sealed per tenant, readable only by the owning tenant, and
/// nothing in the database file (or its audit trail) gives a value away without the master key.
@Suite struct SecretVaultTests {
    static let platformOps = Principal(tokenID: "tok_p", name: "ops", tenantID: "mtc-platform", tenantKind: .siteProvider, role: .operator)
    static let platformAdmin = Principal.bootstrapAdmin(tenantID: "mtc-platform")
    static let vendorOps = Principal(
        tokenID: "tok_v", name: "va-ops", tenantID: "visionary-analytics", tenantKind: .applicationOwner, role: .operator)
    static let desk = Principal(tokenID: "tok_d", name: "desk", tenantID: "mtc-platform", tenantKind: .siteProvider, role: .viewer)
    static let platformValue = Data("db-password-PLAINTEXT-4f1d9a".utf8)
    static let vendorValue = Data("VA-LICENSE-PLAINTEXT-77e0c2".utf8)

    struct World {
        let directory: TemporaryDirectory
        let path: String
        let store: SQLiteFleetStore
        let master: MasterKey
        var vault: SecretVault<SQLiteFleetStore> { SecretVault(store: store, master: master) }
    }

    private func world() async throws -> World {
        let directory = try TemporaryDirectory(prefix: "marquee-vault")
        let path = directory.file("fleet.db")
        let store = SQLiteFleetStore(try FleetDatabase.open(at: path, create: true))
        try await store.replaceFleet(with: Fixtures.fleet(theaters: 2))
        let world = World(directory: directory, path: path, store: store, master: .generate())
        _ = try await world.vault.put(path: "platform/db-password", value: Self.platformValue, apps: ["kiosk-ticketing"], by: Self.platformOps)
        _ = try await world.vault.put(path: "visionary/license", value: Self.vendorValue, apps: [], by: Self.vendorOps)
        return world
    }

    @Test func onlyTheOwningTenantReadsASecretAndViewersNone() async throws {
        let world = try await world()
        defer { world.directory.remove() }
        #expect(try await world.vault.get(path: "platform/db-password", by: Self.platformOps) == Self.platformValue)
        #expect(try await world.vault.get(path: "visionary/license", by: Self.vendorOps) == Self.vendorValue)
        // Across tenants, nobody: not the vendor, not the platform's own admin.
        await #expect(throws: VaultError.otherTenantsVault(vault: "platform", principal: Self.vendorOps.actor)) {
            try await world.vault.get(path: "platform/db-password", by: Self.vendorOps)
        }
        await #expect(throws: VaultError.otherTenantsVault(vault: "visionary", principal: Self.platformAdmin.actor)) {
            try await world.vault.get(path: "visionary/license", by: Self.platformAdmin)
        }
        await #expect(throws: VaultError.otherTenantsVault(vault: "platform", principal: Self.vendorOps.actor)) {
            try await world.vault.put(path: "platform/db-password", value: Data("x".utf8), apps: [], by: Self.vendorOps)
        }
        await #expect(throws: SecurityError.forbidden(principal: Self.desk.actor, permission: .secrets)) {
            try await world.vault.get(path: "platform/db-password", by: Self.desk)
        }
        let listed = try await world.vault.list(vault: nil, by: Self.vendorOps)
        #expect(listed.map(\.path) == ["visionary/license"] && listed[0].bytes == Self.vendorValue.count)
        #expect(try await world.vault.list(vault: nil, by: Self.platformOps).map(\.apps) == [["kiosk-ticketing"]])
        await #expect(throws: VaultError.invalidPath("no-slash")) { try await world.vault.get(path: "no-slash", by: Self.platformOps) }
        await #expect(throws: VaultError.notFound("platform/nope")) { try await world.vault.get(path: "platform/nope", by: Self.platformOps) }
        _ = try await world.vault.remove(path: "platform/db-password", by: Self.platformOps)
        await #expect(throws: VaultError.notFound("platform/db-password")) {
            try await world.vault.get(path: "platform/db-password", by: Self.platformOps)
        }
        // Every access is audited, never with the value.
        let audit = try await SecurityService(store: world.store).auditRecords(after: 0, limit: 100, by: Self.platformAdmin)
        #expect(
            audit.map(\.action).filter { $0.hasPrefix("secrets.") } == ["secrets.put", "secrets.put", "secrets.get", "secrets.get", "secrets.rm"])
        #expect(
            audit.filter { $0.action.hasPrefix("denied secrets.") }.map(\.actor) == [
                Self.vendorOps.actor, Self.platformAdmin.actor, Self.vendorOps.actor,
            ])
        #expect(!audit.contains { "\($0)".contains("PLAINTEXT") })
    }

    @Test func theDatabaseFilesHoldNoValueAndNoKeyThatOpensOne() async throws {
        let world = try await world()
        defer { world.directory.remove() }
        // Everything SQLite wrote (database and write-ahead log): no plaintext, no master key.
        var bytes = Data()
        for suffix in ["", "-wal"] { bytes.append(FileManager.default.contents(atPath: world.path + suffix) ?? Data()) }
        #expect(bytes.count > 10_000)
        for secret in [Self.platformValue, Self.vendorValue, world.master.material] {
            #expect(bytes.range(of: secret) == nil)
        }
        // Another master key (or none) opens nothing.
        let thief = SecretVault(store: world.store, master: .generate())
        await #expect(throws: VaultError.self) { try await thief.get(path: "platform/db-password", by: Self.platformOps) }
        await #expect(throws: VaultError.sealed) {
            try await SecretVault(store: world.store, master: nil).get(path: "platform/db-password", by: Self.platformOps)
        }
        // One tenant's key opens nothing of another's, and a sealed value moved to another row does not open.
        let platformKey = try SecretCipher.unwrap(
            try #require(try await world.store.tenantKey(tenantID: "mtc-platform")).wrapped, tenantID: "mtc-platform", with: world.master)
        let vendorSealed = try #require(try await world.store.secret(path: "visionary/license")).sealed
        #expect(throws: VaultError.self) {
            try SecretCipher.open(
                vendorSealed, key: platformKey,
                binding: SecretVault<SQLiteFleetStore>.binding(tenantID: "visionary-analytics", path: "visionary/license"))
        }
        try await world.store.writer.write { db in
            try db.execute(sql: "UPDATE secret SET sealed = ? WHERE vault = 'platform'", arguments: [vendorSealed])
        }
        await #expect(throws: VaultError.self) { try await world.vault.get(path: "platform/db-password", by: Self.platformOps) }
    }

    @Test func rotatingTheMasterKeyKeepsEveryValueAndRetiresTheOldKey() async throws {
        let world = try await world()
        defer { world.directory.remove() }
        let next = MasterKey.generate()
        await #expect(throws: SecurityError.self) { try await world.vault.rotateMasterKey(to: next, by: Self.platformOps) }
        #expect(try await world.vault.rotateMasterKey(to: next, by: Self.platformAdmin) == 2)
        let rotated = SecretVault(store: world.store, master: next)
        #expect(try await rotated.get(path: "visionary/license", by: Self.vendorOps) == Self.vendorValue)
        await #expect(throws: VaultError.wrongMasterKey(loaded: world.master.id, expected: next.id)) {
            try await world.vault.get(path: "visionary/license", by: Self.vendorOps)
        }
    }

    @Test func theMasterKeyFileIsPrivateAndTheEnvironmentWins() throws {
        let directory = try TemporaryDirectory(prefix: "marquee-master")
        defer { directory.remove() }
        let path = directory.file("master.key")
        #expect(throws: VaultError.noMasterKey(path: path)) { try MasterKey.load(at: path, environment: [:], create: false) }
        let created = try MasterKey.load(at: path, environment: [:], create: true)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try MasterKey.load(at: path, environment: [:], create: false).id == created.id)
        let other = MasterKey.generate()
        let encoded = other.material.base64EncodedString()
        #expect(try MasterKey.load(at: path, environment: ["MARQUEE_MASTER_KEY": encoded], create: false).id == other.id)
        #expect(throws: VaultError.badMasterKey(source: "MARQUEE_MASTER_KEY")) {
            try MasterKey.load(at: path, environment: ["MARQUEE_MASTER_KEY": "short"], create: false)
        }
    }
}
