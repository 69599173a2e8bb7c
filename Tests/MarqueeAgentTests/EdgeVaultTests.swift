import Crypto
import Foundation
import Logging
import MarqueeCore
import MarqueeRemote
import MarqueeTestSupport
import Synchronization
import Testing

@testable import MarqueeAgent

/// The agent's side of secrets: values reach the container's environment and arguments, the key
/// stays in memory, and a lockdown or a refused unseal purges everything.
@Suite struct EdgeVaultTests {
    static let siteID = "de-ber-001"
    static let siteKey = SymmetricKey(size: .bits256)

    static func bundle(epoch: Int = 1, withheld: String? = nil) throws -> EdgeSecretBundle {
        let json = Data(#"{"uplink-token":"T0KEN","region":"eu"}"#.utf8)
        return EdgeSecretBundle(
            siteID: siteID, keyEpoch: epoch, withheld: withheld,
            items: withheld != nil
                ? []
                : [
                    EdgeSecret(
                        path: "platform/scanner", tenantID: "mtc-platform",
                        sealed: try EdgeSecretCipher.seal(json, path: "platform/scanner", tenantID: "mtc-platform", siteID: siteID, siteKey: siteKey),
                        updatedAt: Date()),
                    EdgeSecret(
                        path: "platform/raw", tenantID: "mtc-platform",
                        sealed: try EdgeSecretCipher.seal(
                            Data("RAW-VALUE".utf8), path: "platform/raw", tenantID: "mtc-platform", siteID: siteID, siteKey: siteKey),
                        updatedAt: Date()),
                ])
    }

    @Test func referencesResolveWithTheKeyFetchedOnceAndKeptInMemoryOnly() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-edge-vault")
        defer { directory.remove() }
        let unseals = Mutex(0)
        let vault = EdgeVault(dataDirectory: directory.path, logger: Logger(label: "test")) {
            unseals.withLock { $0 += 1 }
            return SiteKeyGrant(siteID: Self.siteID, epoch: 1, key: Self.siteKey.withUnsafeBytes { Data($0) })
        }
        await vault.accept(try Self.bundle())
        let spec = ContainerSpec(
            name: "scan", image: "img", command: ["/bin/scan"], args: ["--token=${secret:platform/scanner/uplink-token}"],
            env: ["REGION": "${secret:platform/scanner/region}", "RAW": "${secret:platform/raw/value}", "PLAIN": "x"])
        let (arguments, environment) = try await vault.resolve(spec, tenantID: "mtc-platform")
        #expect(arguments == ["/bin/scan", "--token=T0KEN"])
        #expect(environment == ["REGION": "eu", "RAW": "RAW-VALUE", "PLAIN": "x"])
        _ = try await vault.resolve(spec, tenantID: "mtc-platform")
        #expect(unseals.withLock { $0 } == 1)
        #expect(await vault.holdsKey)
        // On disk: the sealed bundle only (0600), never a value or the key.
        let file = directory.path + "/" + EdgeVault.fileName
        let stored = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(stored.firstRange(of: Data("T0KEN".utf8)) == nil && stored.firstRange(of: Data("RAW-VALUE".utf8)) == nil)
        #expect(stored.firstRange(of: Self.siteKey.withUnsafeBytes { Data($0) }) == nil)
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)

        // Another tenant's container, a missing field, a raw value asked for by field: clear errors, no value.
        await #expect(throws: RuntimeError.self) { try await vault.resolve(spec, tenantID: "visionary-analytics") }
        let missing = ContainerSpec(name: "scan", image: "img", env: ["X": "${secret:platform/scanner/nope}"])
        await #expect(throws: RuntimeError("secret platform/scanner has no string field 'nope'")) {
            try await vault.resolve(missing, tenantID: "mtc-platform")
        }
        let rawField = ContainerSpec(name: "scan", image: "img", env: ["X": "${secret:platform/raw/key}"])
        await #expect { try await vault.resolve(rawField, tenantID: "mtc-platform") } throws: {
            "\($0)".contains("only ${secret:platform/raw/value}")
        }

        // A lockdown: key and copies purged; containers that need secrets are told why.
        await vault.accept(try Self.bundle(withheld: "site de-ber-001 is locked down: secrets are withheld"))
        #expect(await !vault.holdsKey)
        #expect(!FileManager.default.fileExists(atPath: file))
        await #expect { try await vault.resolve(spec, tenantID: "mtc-platform") } throws: { "\($0)".contains("locked down") }
        // A container without secrets still starts.
        let plain = ContainerSpec(name: "p", image: "img", command: ["/bin/true"], env: ["A": "b"])
        #expect(try await vault.resolve(plain, tenantID: "mtc-platform").environment == ["A": "b"])
    }

    @Test func aRefusedUnsealPurgesAndARestartedAgentAsksAgain() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-edge-vault-refused")
        defer { directory.remove() }
        let spec = ContainerSpec(name: "scan", image: "img", env: ["T": "${secret:platform/scanner/uplink-token}"])
        let first = EdgeVault(dataDirectory: directory.path, logger: Logger(label: "test")) {
            SiteKeyGrant(siteID: Self.siteID, epoch: 1, key: Self.siteKey.withUnsafeBytes { Data($0) })
        }
        await first.accept(try Self.bundle())
        #expect(try await first.resolve(spec, tenantID: "mtc-platform").environment == ["T": "T0KEN"])
        // A power cycle: the sealed copies are on disk, the key is gone; the tower now refuses it.
        let refused = RemoteError.api(
            status: 403, body: APIErrorBody(code: "site.locked_down", message: "site de-ber-001 is locked down", field: "site"))
        let second = EdgeVault(dataDirectory: directory.path, logger: Logger(label: "test")) { throw refused }
        #expect(await !second.holdsKey)
        await #expect { try await second.resolve(spec, tenantID: "mtc-platform") } throws: { "\($0)".contains("refused the site key") }
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/" + EdgeVault.fileName))
        // An unreachable tower is not a refusal: the copies stay for the next try.
        let third = EdgeVault(dataDirectory: directory.path, logger: Logger(label: "test")) {
            throw RemoteError.unreachable(url: "https://tower", detail: "connection refused")
        }
        await third.accept(try Self.bundle())
        await #expect { try await third.resolve(spec, tenantID: "mtc-platform") } throws: { "\($0)".contains("retrying") }
        #expect(FileManager.default.fileExists(atPath: directory.path + "/" + EdgeVault.fileName))
    }
}
