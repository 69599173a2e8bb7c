import AsyncHTTPClient
import Foundation
import MarqueeCore
import NIOCore
import NIOHTTP1

/// The agent's and operator's write calls to a tower (enrollment, heartbeats, tokens).
public struct TowerClient: Sendable {
    public let baseURL: String
    private let client: HTTPClient
    private let timeout: TimeAmount

    public init(baseURL: String, client: HTTPClient = .shared, timeoutSeconds: Int64 = 15) throws(RemoteError) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw .invalidURL(baseURL)
        }
        self.baseURL = trimmed
        self.client = client
        self.timeout = .seconds(timeoutSeconds)
    }

    /// Enrolls with a site token, or (without one) by serial number at `site`.
    ///
    /// - Throws: ``RemoteError/pendingApproval(hostID:)`` while an operator has not approved the host.
    public func enroll(token: String?, site: String?, facts: HostFacts) async throws -> AgentEnrollment {
        struct Body: Encodable {
            var token: String?
            var site: String?
            var facts: HostFacts
        }
        let (status, data) = try await send("/v1/agent/enroll", body: Body(token: token, site: site, facts: facts), bearer: nil)
        if status == 202 {
            let pending = try decode(PendingEnrollment.self, from: data, path: "/v1/agent/enroll", status: status)
            throw RemoteError.pendingApproval(hostID: pending.hostID)
        }
        return try decode(AgentEnrollment.self, from: data, path: "/v1/agent/enroll", status: status)
    }

    /// A heartbeat carrying the host's facts (when they changed) and its oldest outbox batches.
    public func heartbeat(credential: String, facts: HostFacts?, batches: [ReportBatch]) async throws -> HeartbeatReply {
        struct Body: Encodable {
            var facts: HostFacts?
            var batches: [ReportBatch]
        }
        return try await post("/v1/agent/heartbeat", body: Body(facts: facts, batches: batches), bearer: credential)
    }

    /// The host's desired state; with `after` and `waitSeconds`, a long-poll that answers when the
    /// revision moves past `after` or the wait ends.
    public func desiredState(credential: String, after: Int64?, waitSeconds: Int) async throws -> DesiredState {
        var url = baseURL + "/v1/agent/desired?wait=\(waitSeconds)"
        if let after { url += "&after=\(after)" }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(credential)")
        let response: HTTPClientResponse
        let buffer: ByteBuffer
        do {
            response = try await client.execute(request, timeout: timeout + .seconds(Int64(waitSeconds)))
            buffer = try await response.body.collect(upTo: 16 << 20)
        } catch {
            throw RemoteError.unreachable(url: baseURL, error: error)
        }
        let data = Data(buffer.readableBytesView)
        let status = Int(response.status.code)
        guard status == 200 else {
            if let error = try? Self.decoder.decode(APIErrorBody.self, from: data) { throw RemoteError.api(status: status, body: error) }
            throw RemoteError.unexpectedResponse(url: url, status: status, detail: String(decoding: data.prefix(200), as: UTF8.self))
        }
        return try decode(DesiredState.self, from: data, path: "/v1/agent/desired", status: status)
    }

    /// The site key, for a host that cannot rebuild it from its peers; refused (403
    /// `site.locked_down`) while the site is locked down, and (401) for a revoked host.
    public func unseal(credential: String) async throws -> SiteKeyGrant {
        try await post("/v1/agent/unseal", body: [String: String](), bearer: credential)
    }

    public func createEnrollmentToken(site: String, ttlSeconds: Int, adminToken: String?) async throws -> EnrollmentTokenReply {
        struct Body: Encodable {
            var site: String
            var ttlSeconds: Int
        }
        return try await post("/v1/enroll-tokens", body: Body(site: site, ttlSeconds: ttlSeconds), bearer: adminToken)
    }

    private func post<Body: Encodable, Reply: Decodable>(_ path: String, body: Body, bearer: String?) async throws -> Reply {
        let (status, data) = try await send(path, body: body, bearer: bearer)
        return try decode(Reply.self, from: data, path: path, status: status)
    }

    /// POSTs (or `method`s) `body`; returns a 2xx status and body, or throws the tower's error.
    ///
    /// - Parameter reason: sent as `X-Marquee-Reason`, which the tower keeps in its audit trail.
    func send<Body: Encodable>(_ path: String, body: Body, bearer: String?, method: HTTPMethod = .POST, reason: String? = nil) async throws -> (
        Int, Data
    ) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if let reason { request.headers.add(name: "X-Marquee-Reason", value: reason) }
        request.body = .bytes(ByteBuffer(bytes: try encoder.encode(body)))
        let response: HTTPClientResponse
        let buffer: ByteBuffer
        do {
            response = try await client.execute(request, timeout: timeout)
            buffer = try await response.body.collect(upTo: 16 << 20)
        } catch {
            throw RemoteError.unreachable(url: baseURL, error: error)
        }
        let data = Data(buffer.readableBytesView)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            if let error = try? Self.decoder.decode(APIErrorBody.self, from: data) {
                // Spec problems read the same as a local validation's.
                if let problems = error.error.problems, !problems.isEmpty { throw SpecError(problems) }
                throw RemoteError.api(status: status, body: error)
            }
            throw RemoteError.unexpectedResponse(url: baseURL + path, status: status, detail: String(decoding: data.prefix(200), as: UTF8.self))
        }
        return (status, data)
    }

    func decode<Reply: Decodable>(_ type: Reply.Type, from data: Data, path: String, status: Int) throws -> Reply {
        do {
            return try Self.decoder.decode(Reply.self, from: data)
        } catch {
            throw RemoteError.unexpectedResponse(url: baseURL + path, status: status, detail: "\(error)")
        }
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

extension HTTPFleetAPI: FleetActions {
    private var writer: TowerClient {
        get throws { try TowerClient(baseURL: baseURL, client: client) }
    }

    public func approveHost(id: String, actor: String) async throws -> EdgeHost {
        try await writer.postAction("/v1/hosts/\(Self.escape(id))/approve", body: ["actor": actor], bearer: token)
    }

    public func rejectHost(id: String, actor: String) async throws -> EdgeHost {
        try await writer.postAction("/v1/hosts/\(Self.escape(id))/reject", body: ["actor": actor], bearer: token)
    }

    public func preRegister(serialNumber: String, siteID: String, actor: String) async throws -> PreRegistration {
        try await writer.postAction(
            "/v1/preregistrations", body: ["serialNumber": serialNumber, "site": siteID, "actor": actor], bearer: token)
    }
}

extension TowerClient {
    func postAction<Reply: Decodable>(_ path: String, body: [String: String], bearer: String?) async throws -> Reply {
        let (status, data) = try await send(path, body: body, bearer: bearer)
        return try decode(Reply.self, from: data, path: path, status: status)
    }
}
