import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MarqueeCore
import MarqueeRemote
import MarqueeTestSupport
import MarqueeTower
import Testing

/// A real tower on a loopback port, called through the real HTTP client (``HTTPFleetAPI``).
@Suite struct TowerAPITests {
    static let fleet = Fixtures.fleet()
    static let token = "test-admin-token"
    /// Generous: these tests check answers, not speed, and a debug-build tower beside the whole
    /// suite on a 2-core CI box has taken over 15 s (the CLI's default) for a fleet-wide query.
    static let timeout: Duration = .seconds(120)

    private func withTower(_ body: @Sendable (LocalFleetAPI<SQLiteFleetStore, SQLiteFleetStore>, HTTPFleetAPI, Int) async throws -> Void)
        async throws
    {
        let store = try await Fixtures.store(with: Self.fleet)
        let local = LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now })
        let application = try Tower.application(
            api: local, lifecycle: HostLifecycle(store: store, now: { Fixtures.now }), adminToken: Self.token, port: 0, sweepOffline: false,
            logger: Logger(label: "test.tower"))
        try await application.test(.live) { client in
            let port = try #require(client.port)
            let remote = try HTTPFleetAPI(baseURL: "http://127.0.0.1:\(port)", token: Self.token, timeout: Self.timeout)
            try await body(local, remote, port)
        }
    }

    @Test func theRemoteAPIAnswersLikeTheLocalOne() async throws {
        try await withTower { local, remote, _ in
            let query = SiteQuery(select: "country = SE and screens >= 10")
            let remoteSites = try await remote.sites(query)
            let localSites = try await local.sites(query)
            #expect(!remoteSites.isEmpty && remoteSites == localSites)
            let remoteSite = try await remote.site(id: "se-sto-006")
            let localSite = try await local.site(id: "se-sto-006")
            #expect(remoteSite == localSite)
            let hostQuery = HostQuery(select: "city = \"São Paulo\"", status: .online)
            let remoteHosts = try await remote.hosts(hostQuery)
            let localHosts = try await local.hosts(hostQuery)
            #expect(!remoteHosts.isEmpty && remoteHosts == localHosts)
            let remoteHost = try await remote.host(id: "se-sto-006-h1")
            let localHost = try await local.host(id: "se-sto-006-h1")
            #expect(remoteHost == localHost)
            let remoteCountries = try await remote.countries()
            let localCountries = try await local.countries()
            #expect(remoteCountries == localCountries)
            let eventQuery = EventQuery(limit: 20, minimumSeverity: .warning)
            let remoteEvents = try await remote.events(eventQuery)
            let localEvents = try await local.events(eventQuery)
            #expect(!remoteEvents.isEmpty && remoteEvents == localEvents)
            let remoteRevision = try await remote.revision()
            let localRevision = try await local.revision()
            #expect(remoteRevision == localRevision)
            let remoteSummary = try await remote.summary()
            let localSummary = try await local.summary()
            #expect(remoteSummary.hosts == localSummary.hosts)
        }
    }

    @Test func errorsAreJSONWithTheRightStatusCodeAndField() async throws {
        try await withTower { _, remote, _ in
            await #expect(
                throws: RemoteError.api(
                    status: 400,
                    body: APIErrorBody(
                        code: "selector.invalid", message: "column 12: expected a number after '>=', but the selector ends here", field: "select"))
            ) {
                try await remote.sites(SiteQuery(select: "screens >= "))
            }
            await #expect(
                throws: RemoteError.api(
                    status: 404, body: APIErrorBody(code: "site.not_found", message: "no site 'xx-nope-001'; list them with 'marquee sites'"))
            ) {
                try await remote.site(id: "xx-nope-001")
            }
        }
    }

    @Test func operatorRoutesNeedTheToken() async throws {
        try await withTower { _, _, port in
            let anonymous = try HTTPFleetAPI(baseURL: "http://127.0.0.1:\(port)", token: nil, timeout: Self.timeout)
            await #expect(
                throws: RemoteError.api(
                    status: 401, body: APIErrorBody(code: "auth.required", message: "send 'Authorization: Bearer <token>'", field: "Authorization"))
            ) {
                try await anonymous.summary()
            }
            let wrong = try HTTPFleetAPI(baseURL: "http://127.0.0.1:\(port)", token: "not-the-token", timeout: Self.timeout)
            await #expect(throws: RemoteError.self) { try await wrong.revision() }
        }
    }

    @Test func badQueryParametersNameTheParameter() async throws {
        let store = try await Fixtures.store(with: Fixtures.fleet(theaters: 5))
        let local = LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now })
        let application = try Tower.application(
            api: local, lifecycle: HostLifecycle(store: store, now: { Fixtures.now }), adminToken: Self.token, port: 0, sweepOffline: false,
            logger: Logger(label: "test.tower"))
        try await application.test(.router) { client in
            let headers: HTTPFields = [.authorization: "Bearer \(Self.token)"]
            for (uri, field) in [
                ("/v1/hosts?status=sleeping", "status"), ("/v1/sites?health=meh", "health"), ("/v1/events?limit=0", "limit"),
                ("/v1/events?since=yesterday", "since"), ("/v1/events?severity=loud", "severity"),
            ] {
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                    let body = try JSONDecoder().decode(APIErrorBody.self, from: Data(response.body.readableBytesView))
                    #expect(body.error.field == field, "\(uri)")
                }
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func anUnreachableTowerIsReportedWithItsURL() async throws {
        let remote = try HTTPFleetAPI(baseURL: "http://127.0.0.1:9", token: nil, timeout: .seconds(2))
        do {
            _ = try await remote.revision()
            Issue.record("expected an error")
        } catch let error as RemoteError {
            #expect(error.description.hasPrefix("cannot reach the tower at http://127.0.0.1:9"))
        }
        #expect(throws: RemoteError.invalidURL("ftp://x")) { try HTTPFleetAPI(baseURL: "ftp://x", token: nil) }
    }

    @Test func consolesReceiveChangesAsServerSentEvents() async throws {
        let store = try await Fixtures.store(with: Fixtures.fleet(theaters: 5))
        let local = LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now })
        let lifecycle = HostLifecycle(store: store, now: { Fixtures.now })
        let application = try Tower.application(
            api: local, lifecycle: lifecycle, adminToken: Self.token, port: 0, sweepOffline: false, logger: Logger(label: "test.tower"))
        try await application.test(.live) { client in
            let port = try #require(client.port)
            let remote = try HTTPFleetAPI(baseURL: "http://127.0.0.1:\(port)", token: Self.token, timeout: Self.timeout)
            var changes = remote.changes().makeAsyncIterator()
            // The current revision first, with no events yet
            let first = try #require(try await changes.next())
            #expect(first.revision == (try await store.revision()) && first.events.isEmpty)

            // A host enrolls: the stream carries the new revision and the event, without polling
            let site = try #require(try await store.sites().first).id
            let token = try await lifecycle.createEnrollmentToken(siteID: site, ttl: .seconds(60)).token
            let enrollment = try await lifecycle.enroll(token: token, facts: HostLifecycleFacts.facts)
            var change = try #require(try await changes.next())
            while !change.events.contains(where: { $0.kind == "host.enrolled" }) { change = try #require(try await changes.next()) }
            // (the frame's events may run ahead of its revision by a commit, never behind)
            let current = try await store.revision()
            #expect(change.revision > first.revision && change.revision <= current)
            #expect(change.events.first?.subject == "host/\(enrollment.hostID)")

            // The stream needs the admin token like every operator route
            let anonymous = try HTTPFleetAPI(baseURL: "http://127.0.0.1:\(port)", token: nil, timeout: Self.timeout)
            var refused = anonymous.changes().makeAsyncIterator()
            await #expect(throws: RemoteError.self) { _ = try await refused.next() }
        }
    }
}

enum HostLifecycleFacts {
    static let facts = HostFacts(
        hostname: "edge-sse", serialNumber: "SER-SSE", osName: "Debian", osVersion: "12", kernelRelease: "6.1.0-18-amd64",
        runtimeName: "containerd", runtimeVersion: "1.7.13", agentVersion: "0.1.0", cpuCores: 8, memoryBytes: 16 << 30, diskBytes: 1 << 40)
}
