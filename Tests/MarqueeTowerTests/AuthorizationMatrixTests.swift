import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MarqueeCore
import MarqueeTestSupport
import MarqueeTower
import NIOCore
import Testing

/// Every operator route × every role × both tenant kinds, generated from the router's own route
/// list: a new route without a ``RoutePolicy`` entry fails here, and each role gets exactly what
/// the policy allows. Plus token checks, the audit of writes and refusals, and tenant scoping.
@Suite struct AuthorizationMatrixTests {
    static let adminToken = "test-admin-token"
    static let platform = "mtc-platform"
    static let vendor = "visionary-analytics"

    struct World {
        let store: SQLiteFleetStore
        let fleet: FleetSnapshot
        let clock: ManualClock
        let security: SecurityService<SQLiteFleetStore>
        let lifecycle: HostLifecycle<SQLiteFleetStore>
    }

    private func withTower(_ body: @Sendable (any TestClientProtocol, World, [(method: HTTPRequest.Method, path: String)]) async throws -> Void)
        async throws
    {
        let fleet = Fixtures.fleet(theaters: 5)
        let store = try await Fixtures.store(with: fleet)
        let clock = ManualClock()
        let lifecycle = HostLifecycle(store: store, now: clock.now)
        let router = Tower.router(
            api: LocalFleetAPI(inventory: store, events: store, now: clock.now), lifecycle: lifecycle, adminToken: Self.adminToken, clock: clock)
        let world = World(store: store, fleet: fleet, clock: clock, security: SecurityService(store: store, clock: clock), lifecycle: lifecycle)
        let routes = router.routes.map { (method: $0.method, path: "\($0.path)") }
        try await Application(router: router).test(.router) { client in try await body(client, world, routes) }
    }

    private func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, bearer: String?, body: String? = nil)
        async throws -> (HTTPResponse.Status, [String: Any])
    {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return (response.status, object)
        }
    }

    private static func code(_ object: [String: Any]) -> String? { (object["error"] as? [String: Any])?["code"] as? String }

    /// A concrete URI for a route pattern (its parameters filled with harmless values).
    private static func uri(for path: String) -> String {
        path.replacingOccurrences(of: "{command}", with: "pause").replacingOccurrences(of: "{id}", with: "nothing-here")
            .replacingOccurrences(of: "{name}", with: "nothing-here")
    }

    @Test func everyRouteHasAPolicyAndEveryRoleGetsExactlyWhatItAllows() async throws {
        try await withTower { client, world, routes in
            let operatorRoutes = routes.filter { route in
                let path = route.path
                return path.hasPrefix("/v1/") && !path.hasPrefix("/v1/agent/") && path != "/v1/openapi.yaml"
            }
            #expect(operatorRoutes.count >= 35)
            let unmapped = operatorRoutes.filter { RoutePolicy.permission(method: $0.method, path: "\($0.path)") == nil }
            #expect(unmapped.isEmpty, "routes without a RoutePolicy entry: \(unmapped.map { "\($0.method) \($0.path)" })")

            var callers: [(Principal, String)] = []
            for kind in Tenant.Kind.allCases {
                let tenant = kind == .siteProvider ? Self.platform : Self.vendor
                for role in Role.allCases where role != .platformAdmin || kind == .siteProvider {
                    let issued = try await world.security.createToken(
                        tenantID: tenant, role: role, name: "\(role.rawValue)-\(kind.rawValue)", ttl: .seconds(3_600),
                        by: .bootstrapAdmin(tenantID: Self.platform))
                    callers.append((try #require(try await world.security.authenticate(secret: issued.secret)), issued.secret))
                }
            }
            callers.append((.bootstrapAdmin(tenantID: Self.platform), Self.adminToken))
            #expect(callers.count == 8)

            var checked = 0
            for route in operatorRoutes {
                let path = route.path
                let permission = try #require(RoutePolicy.permission(method: route.method, path: path))
                for (principal, secret) in callers {
                    let allowed = principal.allows(permission)
                    // The change stream never ends: check only that it is refused to whom it must be.
                    if allowed && path == "/v1/changes" { continue }
                    let (status, body) = try await call(
                        client, route.method, Self.uri(for: path), bearer: secret, body: route.method == .get ? nil : "{}")
                    if allowed {
                        #expect(status != .forbidden && status != .unauthorized, "\(principal.actor) \(route.method) \(path): \(status) \(body)")
                    } else {
                        #expect(status == .forbidden && Self.code(body) == "auth.forbidden", "\(principal.actor) \(route.method) \(path): \(status)")
                    }
                    checked += 1
                }
            }
            #expect(checked > 250)
        }
    }

    @Test func missingExpiredAndRevokedTokensAre401AndWritesAndRefusalsAreAudited() async throws {
        try await withTower { client, world, _ in
            #expect(try await call(client, .get, "/v1/summary", bearer: nil).0 == .unauthorized)
            #expect(Self.code(try await call(client, .get, "/v1/summary", bearer: "mqt_0000").1) == "auth.invalid")
            let admin = Principal.bootstrapAdmin(tenantID: Self.platform)
            let desk = try await world.security.createToken(tenantID: Self.platform, role: .viewer, name: "desk", ttl: .seconds(600), by: admin)
            let ops = try await world.security.createToken(tenantID: Self.platform, role: .operator, name: "ops", ttl: .seconds(86_400), by: admin)
            #expect(try await call(client, .get, "/v1/summary", bearer: desk.secret).0 == .ok)

            // A viewer's write is refused and recorded; an operator's write goes through and is recorded.
            let host = try #require(world.fleet.hosts.first)
            #expect(try await call(client, .post, "/v1/enroll-tokens", bearer: desk.secret, body: #"{"site":"\#(host.siteID)"}"#).0 == .forbidden)
            let (status, _) = try await call(client, .post, "/v1/enroll-tokens", bearer: ops.secret, body: #"{"site":"\#(host.siteID)"}"#)
            #expect(status == .ok)
            let records = try await world.security.auditRecords(after: 0, limit: 100, by: admin)
            #expect(records.contains { $0.action == "denied POST /v1/enroll-tokens" && $0.actor == "desk (viewer@mtc-platform)" })
            #expect(records.contains { $0.action == "POST /v1/enroll-tokens" && $0.actor == "ops (operator@mtc-platform)" })
            #expect(try await world.security.verifyAudit(expectedHead: nil, by: admin).isIntact)

            // Revocation and expiry take effect on the next request.
            let (revoked, _) = try await call(client, .delete, "/v1/tokens/\(desk.token.id)", bearer: Self.adminToken)
            #expect(revoked == .ok)
            #expect(try await call(client, .get, "/v1/summary", bearer: desk.secret).0 == .unauthorized)
            world.clock.advance(by: 86_401)
            #expect(try await call(client, .get, "/v1/summary", bearer: ops.secret).0 == .unauthorized)
        }
    }

    @Test func theVendorSeesOnlyItsOwnAppLogsAndRollouts() async throws {
        try await withTower { client, world, _ in
            let admin = Principal.bootstrapAdmin(tenantID: Self.platform)
            let vendorContainer = try #require(world.fleet.containers.first { $0.tenantID == Self.vendor })
            let platformContainer = try #require(world.fleet.containers.first { $0.tenantID == Self.platform && $0.hostID == vendorContainer.hostID })
            let host = try #require(world.fleet.hosts.first { $0.id == vendorContainer.hostID })
            let (enrollment, _) = try await world.lifecycle.createEnrollmentToken(siteID: host.siteID, ttl: .seconds(3_600))
            let credential = try await world.lifecycle.enroll(token: enrollment, facts: host.facts).credential
            let now = world.clock.now()
            let records: [ReportRecord] = [
                .log(
                    LogEntry(severity: .info, layer: .app, source: "stdout", message: "vendor frame analysed", container: vendorContainer.id), at: now
                ),
                .log(
                    LogEntry(severity: .info, layer: .app, source: "stdout", message: "platform ticket sold", container: platformContainer.id),
                    at: now),
                .log(LogEntry(severity: .warning, layer: .kernel, source: "kmsg", message: "sched: RT throttling activated"), at: now),
            ]
            _ = try await world.lifecycle.heartbeat(
                credential: credential, facts: nil, batches: [ReportBatch(sequence: 1, createdAt: now, records: records)])

            let vendorOps = try await world.security.createToken(
                tenantID: Self.vendor, role: .operator, name: "vendor-ops", ttl: .seconds(600), by: admin)
            let platformDesk = try await world.security.createToken(
                tenantID: Self.platform, role: .viewer, name: "desk", ttl: .seconds(600), by: admin)
            func messages(_ secret: String, _ query: String) async throws -> [String] {
                let (status, body) = try await call(client, .get, "/v1/logs\(query)", bearer: secret)
                #expect(status == .ok)
                return (body["items"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }.sorted()
            }
            #expect(try await messages(platformDesk.secret, "?host=\(host.id)").count == 3)
            #expect(try await messages(vendorOps.secret, "?host=\(host.id)") == ["vendor frame analysed"])
            #expect(try await messages(vendorOps.secret, "?layer=kernel") == [])
            #expect(try await messages(vendorOps.secret, "?container=\(platformContainer.id)") == [])
            #expect(try await call(client, .get, "/v1/logs/correlate?container=\(vendorContainer.id)", bearer: vendorOps.secret).0 == .forbidden)

            // Hosts: where its containers run, not the host's internals or other tenants' containers.
            let (_, vendorHost) = try await call(client, .get, "/v1/hosts/\(host.id)", bearer: vendorOps.secret)
            let redacted = try #require(vendorHost["host"] as? [String: Any])
            #expect(
                redacted["kernelRelease"] as? String == "" && redacted["serialNumber"] as? String == ""
                    && redacted["siteID"] as? String == host.siteID)
            let vendorContainers = (vendorHost["containers"] as? [[String: Any]] ?? []).compactMap { $0["tenantID"] as? String }
            #expect(!vendorContainers.isEmpty && vendorContainers.allSatisfy { $0 == Self.vendor })
            let (_, fullHost) = try await call(client, .get, "/v1/hosts/\(host.id)", bearer: platformDesk.secret)
            #expect((fullHost["host"] as? [String: Any])?["kernelRelease"] as? String == host.kernelRelease)
            #expect((fullHost["containers"] as? [[String: Any]] ?? []).contains { $0["tenantID"] as? String == Self.platform })
            let (_, vendorHosts) = try await call(client, .get, "/v1/hosts", bearer: vendorOps.secret)
            #expect((vendorHosts["items"] as? [[String: Any]] ?? []).allSatisfy { $0["kernelRelease"] as? String == "" })

            // Applications: the vendor's own only; it cannot apply another tenant's spec.
            let (_, apps) = try await call(client, .get, "/v1/apps", bearer: vendorOps.secret)
            let tenants = Set((apps["items"] as? [[String: Any]] ?? []).compactMap { $0["tenant"] as? String })
            #expect(tenants == [Self.vendor])
            let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/kiosk-ticketing.yaml").path
            let content = try String(contentsOfFile: path, encoding: .utf8)
            let spec = String(
                decoding: try JSONEncoder().encode(["files": [SpecFile(path: "kiosk-ticketing.yaml", content: content)]]), as: UTF8.self)
            let (status, body) = try await call(client, .post, "/v1/apply", bearer: vendorOps.secret, body: spec)
            let message = (body["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(status == .forbidden && message.contains("belongs to tenant 'mtc-platform'"), "\(status) \(body)")
            #expect(try await call(client, .post, "/v1/apply", bearer: Self.adminToken, body: spec).0 == .ok)

            // Events and probes: only about its own applications.
            let vendorApp = vendorContainer.app
            let platformApp = platformContainer.app
            for subject in ["rollout/\(vendorApp)-7.5.0", "rollout/\(platformApp)-2.0.0", "host/\(host.id)", "site/\(host.siteID)"] {
                _ = try await world.lifecycle.store.record(
                    Event(time: now, kind: "test.scoping", severity: .info, subject: subject, message: "about \(subject)", actor: "test"))
            }
            func subjects(_ secret: String) async throws -> [String] {
                let (status, body) = try await call(client, .get, "/v1/events?kind=test.scoping", bearer: secret)
                #expect(status == .ok)
                return (body["items"] as? [[String: Any]] ?? []).compactMap { $0["subject"] as? String }.sorted()
            }
            #expect(try await subjects(vendorOps.secret) == ["rollout/\(vendorApp)-7.5.0"])
            #expect(try await subjects(platformDesk.secret).count == 4)
            #expect(try await call(client, .get, "/v1/probes/series?app=\(platformApp)", bearer: vendorOps.secret).0 == .notFound)
            #expect(try await call(client, .get, "/v1/probes/heatmap?app=\(platformApp)", bearer: vendorOps.secret).0 == .notFound)
            let range = "&since=2026-01-01T00:00:00Z&until=2026-01-02T00:00:00Z"
            #expect(try await call(client, .get, "/v1/probes/series?app=\(vendorApp)\(range)", bearer: vendorOps.secret).0 == .ok)
            #expect(try await call(client, .get, "/v1/probes/series?app=\(platformApp)\(range)", bearer: platformDesk.secret).0 == .ok)
        }
    }
}
