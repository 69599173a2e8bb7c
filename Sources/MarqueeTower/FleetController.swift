import Foundation
import Hummingbird
import MarqueeCore

/// The read side of the fleet under `/v1`: the HTTP face of ``FleetAPI``.
struct FleetController<API: FleetAPI> {
    let api: API
    /// Narrows events for application owners.
    let owned: OwnedApplications

    func addRoutes(to group: RouterGroup<TowerRequestContext>) {
        group.get("summary") { _, _ in try await handle { Payload(try await api.summary()) } }
        group.get("countries") { _, _ in try await handle { ListPayload(kind: "CountryList", items: try await api.countries()) } }
        group.get("revision") { _, _ in try await handle { Payload(RevisionBody(revision: try await api.revision())) } }
        group.get("sites") { request, _ in
            try await handle {
                let parameters = request.uri.queryParameters
                let health: SiteHealth? = try Self.choice(parameters.get("health"), named: "health")
                let query = SiteQuery(select: parameters.get("select"), country: parameters.get("country"), health: health)
                return ListPayload(kind: "SiteList", items: try await api.sites(query))
            }
        }
        group.get("sites/{id}") { _, context in
            try await handle { Payload(try await api.site(id: try context.parameters.require("id"))) }
        }
        group.get("hosts") { request, context in
            try await handle {
                let parameters = request.uri.queryParameters
                let status: HostStatus? = try Self.choice(parameters.get("status"), named: "status")
                let query = HostQuery(select: parameters.get("select"), siteID: parameters.get("site"), status: status)
                let hosts = try await api.hosts(query)
                return ListPayload(kind: "HostList", items: Self.isApplicationOwner(context) ? hosts.map(ApplicationOwnerView.host) : hosts)
            }
        }
        group.get("hosts/{id}") { _, context in
            try await handle {
                let detail = try await api.host(id: try context.parameters.require("id"))
                guard let principal = context.principal, principal.tenantKind == .applicationOwner else { return Payload(detail) }
                return Payload(ApplicationOwnerView.detail(detail, tenantID: principal.tenantID))
            }
        }
        group.get("events") { request, context in
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
                query.minimumSeverity = try Self.choice(parameters.get("severity"), named: "severity")
                query.subjectPrefix = parameters.get("subject")
                query.kindPrefix = parameters.get("kind")
                if let after = parameters.get("after") {
                    guard let id = Int64(after) else {
                        throw APIError(.badRequest, code: "parameter.invalid", message: "after must be an event id", field: "after")
                    }
                    query.afterID = id
                }
                // An application owner sees only events about its own applications.
                guard let apps = try await owned.visible(to: context.principal) else {
                    return ListPayload(kind: "EventList", items: try await api.events(query))
                }
                let wanted = query.limit
                query.limit = min(10_000, wanted * 10)
                return ListPayload(
                    kind: "EventList", items: Array(try await api.events(query).filter { OwnedApplications.concerns($0, apps) }.prefix(wanted)))
            }
        }
    }

    /// Whether the caller is an application owner (who sees no host internals).
    private static func isApplicationOwner(_ context: TowerRequestContext) -> Bool {
        context.principal?.tenantKind == .applicationOwner
    }

    /// Parses an optional enum query parameter; a value outside the enum is a 400 naming the parameter.
    private static func choice<Value: RawRepresentable & CaseIterable>(_ text: String?, named name: String) throws -> Value?
    where Value.RawValue == String {
        guard let text else { return nil }
        guard let value = Value(rawValue: text) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError(.badRequest, code: "parameter.invalid", message: "\(name) must be one of \(allowed)", field: name)
        }
        return value
    }

}

/// `GET /v1/revision`.
public struct RevisionBody: Codable, Sendable {
    public var revision: Int64
}
