import Foundation
import Hummingbird
import MarqueeCore

/// The read side of the fleet under `/v1`: the HTTP face of ``FleetAPI``.
struct FleetController<API: FleetAPI> {
    let api: API

    func addRoutes(to group: RouterGroup<BasicRequestContext>) {
        group.get("summary") { _, _ in try await handle { Payload(try await api.summary()) } }
        group.get("countries") { _, _ in try await handle { ListPayload(kind: "CountryList", items: try await api.countries()) } }
        group.get("revision") { _, _ in try await handle { Payload(RevisionBody(revision: try await api.revision())) } }
        group.get("sites") { request, _ in
            try await handle {
                let parameters = request.uri.queryParameters
                let health = try parameters.get("health").map { value in
                    guard let health = SiteHealth(rawValue: value) else {
                        throw APIError(
                            .badRequest, code: "parameter.invalid", message: "health must be healthy, degraded, down or unknown",
                            field: "health")
                    }
                    return health
                }
                let query = SiteQuery(select: parameters.get("select"), country: parameters.get("country"), health: health)
                return ListPayload(kind: "SiteList", items: try await api.sites(query))
            }
        }
        group.get("sites/{id}") { _, context in
            try await handle { Payload(try await api.site(id: try context.parameters.require("id"))) }
        }
        group.get("hosts") { request, _ in
            try await handle {
                let parameters = request.uri.queryParameters
                let status = try parameters.get("status").map { value in
                    guard let status = HostStatus(rawValue: value) else {
                        throw APIError(
                            .badRequest, code: "parameter.invalid",
                            message: "status must be one of \(HostStatus.allCases.map(\.rawValue).joined(separator: ", "))", field: "status")
                    }
                    return status
                }
                let query = HostQuery(select: parameters.get("select"), siteID: parameters.get("site"), status: status)
                return ListPayload(kind: "HostList", items: try await api.hosts(query))
            }
        }
        group.get("hosts/{id}") { _, context in
            try await handle { Payload(try await api.host(id: try context.parameters.require("id"))) }
        }
        group.get("events") { request, _ in
            try await handle {
                let parameters = request.uri.queryParameters
                var query = EventQuery()
                if let limit = parameters.get("limit") {
                    guard let value = Int(limit), (1...10_000).contains(value) else {
                        throw APIError(.badRequest, code: "parameter.invalid", message: "limit must be 1…10000", field: "limit")
                    }
                    query.limit = value
                }
                if let since = parameters.get("since") {
                    guard let date = ISO8601DateFormatter().date(from: since) else {
                        throw APIError(.badRequest, code: "parameter.invalid", message: "since must be an ISO 8601 time", field: "since")
                    }
                    query.since = date
                }
                if let severity = parameters.get("severity") {
                    guard let value = Event.Severity(rawValue: severity) else {
                        throw APIError(
                            .badRequest, code: "parameter.invalid", message: "severity must be info, notice, warning or critical",
                            field: "severity")
                    }
                    query.minimumSeverity = value
                }
                query.subjectPrefix = parameters.get("subject")
                return ListPayload(kind: "EventList", items: try await api.events(query))
            }
        }
    }

    /// Runs a handler and turns any error into a JSON ``APIError``.
    private func handle<Output: ResponseGenerator>(_ body: () async throws -> Output) async throws -> Output {
        do {
            return try await body()
        } catch {
            throw APIError(error)
        }
    }
}

/// `GET /v1/revision`.
public struct RevisionBody: Codable, Sendable {
    public var revision: Int64
}
