import AsyncHTTPClient
import Foundation
import MarqueeCore
import NIOCore
import NIOHTTP1

/// ``FleetAPI`` over HTTP to a remote tower: the console and every CLI verb work against it
/// exactly as they do against a local database.
public struct HTTPFleetAPI: FleetAPI {
    /// The tower's base URL, e.g. `http://127.0.0.1:7443`.
    public let baseURL: String
    let token: String?
    let client: HTTPClient
    private let timeout: TimeAmount

    /// - Parameters:
    ///   - baseURL: `http://HOST:PORT` of the tower.
    ///   - token: bearer token for operator routes.
    ///   - client: the HTTP client (the shared one by default).
    /// - Throws: ``RemoteError/invalidURL(_:)`` for a malformed URL.
    public init(baseURL: String, token: String?, client: HTTPClient = .shared, timeout: Duration = .seconds(15)) throws(RemoteError) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw .invalidURL(baseURL)
        }
        self.baseURL = trimmed
        self.token = token
        self.client = client
        self.timeout = .milliseconds(Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    struct List<Item: Decodable>: Decodable {
        var items: [Item]
    }

    func get<T: Decodable>(_ path: String, query: [(String, String?)] = []) async throws -> T {
        var components = URLComponents(string: baseURL + path)
        let items = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        if !items.isEmpty { components?.queryItems = items }
        // `+` would read as a space in a query; selectors never need it raw.
        guard let url = components?.url?.absoluteString.replacingOccurrences(of: "+", with: "%2B") else {
            throw RemoteError.invalidURL(baseURL + path)
        }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: 64 << 20)
        } catch {
            throw RemoteError.unreachable(url: baseURL, error: error)
        }
        let data = Data(body.readableBytesView)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            if let error = try? Self.decoder.decode(APIErrorBody.self, from: data) { throw RemoteError.api(status: status, body: error) }
            throw RemoteError.unexpectedResponse(url: url, status: status, detail: String(decoding: data.prefix(200), as: UTF8.self))
        }
        do {
            return try Self.decoder.decode(T.self, from: data)
        } catch {
            throw RemoteError.unexpectedResponse(url: url, status: status, detail: "\(error)")
        }
    }

    public func summary() async throws -> FleetSummary { try await get("/v1/summary") }

    public func countries() async throws -> [CountrySummary] {
        let list: List<CountrySummary> = try await get("/v1/countries")
        return list.items
    }

    public func sites(_ query: SiteQuery) async throws -> [SiteSummary] {
        let list: List<SiteSummary> = try await get(
            "/v1/sites", query: [("select", query.select), ("country", query.country), ("health", query.health?.rawValue)])
        return list.items
    }

    public func site(id: String) async throws -> SiteDetail { try await get("/v1/sites/\(Self.escape(id))") }

    public func hosts(_ query: HostQuery) async throws -> [EdgeHost] {
        let list: List<EdgeHost> = try await get(
            "/v1/hosts", query: [("select", query.select), ("site", query.siteID), ("status", query.status?.rawValue)])
        return list.items
    }

    public func host(id: String) async throws -> HostDetail { try await get("/v1/hosts/\(Self.escape(id))") }

    public func events(_ query: EventQuery) async throws -> [Event] {
        let list: List<Event> = try await get(
            "/v1/events",
            query: [
                ("limit", String(query.limit)), ("since", query.since.map { ISO8601DateFormatter().string(from: $0) }),
                ("severity", query.minimumSeverity?.rawValue), ("subject", query.subjectPrefix), ("kind", query.kindPrefix),
                ("after", query.afterID.map(String.init)),
            ])
        return list.items
    }

    public func revision() async throws -> Int64 {
        struct Body: Decodable { var revision: Int64 }
        let body: Body = try await get("/v1/revision")
        return body.revision
    }

    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }
}
