import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MarqueeCore
import MarqueeRemote
import MarqueeTestSupport
import MarqueeTower
import Testing

/// The vendor's token through the real HTTP client: its refusals are recognisable as such, so
/// the console shows an empty view instead of failing.
@Suite struct VendorRemoteTests {
    @Test func aVendorTokenIsRefusedUpgradesAndSeesOnlyItsOwnApps() async throws {
        let store = try await Fixtures.store(with: Fixtures.fleet(theaters: 5))
        let issued = try await SecurityService(store: store).createToken(
            tenantID: "visionary-analytics", role: .viewer, name: "vendor-desk", ttl: .seconds(600), by: .bootstrapAdmin(tenantID: "mtc-platform"))
        let application = try Tower.application(
            api: LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now }), lifecycle: HostLifecycle(store: store, now: { Fixtures.now }),
            adminToken: "admin", port: 0, sweepOffline: false, logger: Logger(label: "test.tower"))
        try await application.test(.live) { client in
            let port = try #require(client.port)
            let vendor = try HTTPFleetAPI(baseURL: "http://127.0.0.1:\(port)", token: issued.secret, timeout: .seconds(120))
            let admin = try HTTPFleetAPI(baseURL: "http://127.0.0.1:\(port)", token: "admin", timeout: .seconds(120))
            do {
                _ = try await vendor.upgrades()
                Issue.record("a vendor viewer read the upgrade plans")
            } catch let error as RemoteError {
                #expect(error.deniesAccess && "\(error)".contains("may not read host internals"))
            }
            #expect(try await admin.upgrades().isEmpty)
            #expect(try await vendor.applications(siteID: nil).allSatisfy { $0.tenant == "visionary-analytics" })
            #expect(try await admin.applications(siteID: nil).contains { $0.tenant == "mtc-platform" })
            do {
                _ = try await vendor.tokens(tenantID: nil)
                Issue.record("a vendor viewer listed tokens")
            } catch let error as RemoteError {
                #expect(error.deniesAccess)
            }
        }
    }
}
