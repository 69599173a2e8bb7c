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

    public func enroll(token: String, facts: HostFacts) async throws -> AgentEnrollment {
        struct Body: Encodable {
            var token: String
            var facts: HostFacts
        }
        return try await post("/v1/agent/enroll", body: Body(token: token, facts: facts), bearer: nil)
    }

    /// A heartbeat carrying the host's facts (when they changed) and its oldest outbox batches.
    public func heartbeat(credential: String, facts: HostFacts?, batches: [ReportBatch]) async throws -> HeartbeatReply {
        struct Body: Encodable {
            var facts: HostFacts?
            var batches: [ReportBatch]
        }
        return try await post("/v1/agent/heartbeat", body: Body(facts: facts, batches: batches), bearer: credential)
    }

    public func createEnrollmentToken(site: String, ttlSeconds: Int, adminToken: String?) async throws -> EnrollmentTokenReply {
        struct Body: Encodable {
            var site: String
            var ttlSeconds: Int
        }
        return try await post("/v1/enroll-tokens", body: Body(site: site, ttlSeconds: ttlSeconds), bearer: adminToken)
    }

    private func post<Body: Encodable, Reply: Decodable>(_ path: String, body: Body, bearer: String?) async throws -> Reply {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        request.body = .bytes(ByteBuffer(bytes: try encoder.encode(body)))
        let response: HTTPClientResponse
        let buffer: ByteBuffer
        do {
            response = try await client.execute(request, timeout: timeout)
            buffer = try await response.body.collect(upTo: 16 << 20)
        } catch {
            throw RemoteError.unreachable(url: baseURL, detail: "\(error)")
        }
        let data = Data(buffer.readableBytesView)
        let status = Int(response.status.code)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard (200..<300).contains(status) else {
            if let error = try? decoder.decode(APIErrorBody.self, from: data) { throw RemoteError.api(status: status, body: error) }
            throw RemoteError.unexpectedResponse(url: baseURL + path, status: status, detail: String(decoding: data.prefix(200), as: UTF8.self))
        }
        do {
            return try decoder.decode(Reply.self, from: data)
        } catch {
            throw RemoteError.unexpectedResponse(url: baseURL + path, status: status, detail: "\(error)")
        }
    }
}
