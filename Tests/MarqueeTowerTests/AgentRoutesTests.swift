import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MarqueeCore
import MarqueeTestSupport
import MarqueeTower
import NIOCore
import Testing

/// The agent routes' strict bodies, exactly-once ingest over HTTP, and `/metrics`.
@Suite struct AgentRoutesTests {
    static let token = "test-admin-token"

    private func withRouter(_ body: @Sendable (any TestClientProtocol, SQLiteFleetStore) async throws -> Void) async throws {
        let store = try await Fixtures.store(with: Fixtures.fleet(theaters: 5))
        let local = LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now })
        let application = try Tower.application(
            api: local, lifecycle: HostLifecycle(store: store, now: { Fixtures.now }), adminToken: Self.token, port: 0, sweepOffline: false,
            logger: Logger(label: "test.tower"))
        try await application.test(.router) { client in try await body(client, store) }
    }

    private func post(_ client: some TestClientProtocol, _ uri: String, _ json: String, bearer: String? = nil) async throws -> (
        HTTPResponse.Status, [String: Any]
    ) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json)) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return (response.status, object)
        }
    }

    private func errorField(_ object: [String: Any]) -> String? {
        (object["error"] as? [String: Any])?["field"] as? String
    }

    static let factsJSON = """
        {"hostname":"edge-x","serialNumber":"SER-X","osName":"Debian","osVersion":"12","kernelRelease":"6.1.0-18-amd64",
         "runtimeName":"containerd","runtimeVersion":"1.7.13","agentVersion":"0.1.0","cpuCores":8,"memoryBytes":1,"diskBytes":1}
        """

    @Test func malformedBodiesAre400sNamingTheField() async throws {
        try await withRouter { client, store in
            let site = try #require(try await store.sites().first).id
            let token = try await HostLifecycle(store: store, now: { Fixtures.now }).createEnrollmentToken(siteID: site, ttl: .seconds(60)).token

            var (status, body) = try await post(client, "/v1/agent/enroll", #"{"token":"mqe_bogus","facts":\#(Self.factsJSON)}"#)
            #expect(status == .unauthorized && errorField(body) == "token")
            (status, body) = try await post(client, "/v1/agent/enroll", "not json")
            #expect(status == .badRequest)
            (status, body) = try await post(client, "/v1/agent/enroll", #"{"token":"\#(token)","facts":{"kernal":"x"}}"#)
            #expect(status == .badRequest && errorField(body) == "facts.kernal")
            (status, body) = try await post(client, "/v1/agent/enroll", #"{"token":"\#(token)"}"#)
            #expect(status == .badRequest && errorField(body) == "facts")
            (status, body) = try await post(client, "/v1/agent/enroll", #"{"token":"\#(token)","facts":\#(Self.factsJSON)}"#)
            #expect(status == .ok)
            let credential = try #require(body["credential"] as? String)

            let record = #"{"kind":"hostMetrics","time":"2026-11-28T02:00:00Z","hostMetrics":{"load1":1,"memoryAvailableBytes":2,"diskFreeBytes":3}}"#
            (status, body) = try await post(
                client, "/v1/agent/heartbeat",
                #"{"batches":[{"sequence":1,"createdAt":"2026-11-28T02:00:00Z","records":[{"kind":"hostMetrics","tmie":"x"}]}]}"#, bearer: credential)
            #expect(status == .badRequest && errorField(body) == "batches[0].records[0].tmie")
            (status, body) = try await post(
                client, "/v1/agent/heartbeat", #"{"batches":[{"sequence":"one","createdAt":"2026-11-28T02:00:00Z","records":[]}]}"#,
                bearer: credential)
            #expect(status == .badRequest && errorField(body) == "batches[0].sequence")

            // The same batch twice (a lost response) is applied once
            let heartbeat = #"{"batches":[{"sequence":1,"createdAt":"2026-11-28T02:00:00Z","records":[\#(record)]}]}"#
            for _ in 0..<2 {
                (status, body) = try await post(client, "/v1/agent/heartbeat", heartbeat, bearer: credential)
                #expect(status == .ok && body["acknowledgedSequence"] as? Int == 1)
            }
            let hostID = try #require(body["hostID"] as? String)
            let cursor = try #require(try await store.reportCursor(hostID: hostID))
            #expect(cursor.batches == 1 && cursor.duplicates == 1 && cursor.records == 1)

            (status, body) = try await post(client, "/v1/agent/heartbeat", "{}", bearer: "mqh_forged")
            #expect(status == .unauthorized && errorField(body) == "Authorization")
        }
    }

    @Test func metricsAreValidPrometheusText() async throws {
        try await withRouter { client, _ in
            _ = try await client.execute(uri: "/healthz", method: .get) { $0.status }
            let text = try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                return String(buffer: response.body)
            }
            #expect(text.contains("# HELP marquee_hosts Hosts known to the tower, by status."))
            #expect(text.contains(#"marquee_hosts{status="online"}"#))
            #expect(text.contains("marquee_http_requests_total{"))
            #expect(text.contains("marquee_http_request_duration_seconds_bucket{"))

            // promtool (Debian's prometheus package, installed by scripts/install-deps) must find no problem
            let directory = try TemporaryDirectory(prefix: "marquee-metrics")
            defer { directory.remove() }
            try text.write(toFile: directory.file("metrics.txt"), atomically: true, encoding: .utf8)
            let promtool = try #require(["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) })
            let process = Process()
            process.executableURL = URL(fileURLWithPath: promtool)
            process.arguments = ["check", "metrics"]
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: directory.file("metrics.txt")))
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = errors
            try process.run()
            let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "promtool: \(output)")
        }
    }
}
