import Foundation
import Hummingbird
import MarqueeCore

/// Log lines under `/v1/logs`: search and the correlated timeline of one container.
struct LogController {
    let api: any LogAPI

    func addRoutes(to group: RouterGroup<TowerRequestContext>) {
        group.get("logs") { request, context in
            try await handle {
                let parameters = request.uri.queryParameters
                var query = LogQuery()
                query.siteID = parameters.get("site")
                query.hostID = parameters.get("host")
                query.container = parameters.get("container")
                query.app = parameters.get("app")
                query.text = parameters.get("grep")
                if let text = parameters.get("layer") {
                    query.layers = try text.split(separator: ",").map { name in
                        guard let layer = LogLayer(rawValue: String(name)) else {
                            throw APIError(
                                .badRequest, code: "parameter.invalid",
                                message: "layer must be one or more of \(LogLayer.allCases.map(\.rawValue).joined(separator: ", "))", field: "layer")
                        }
                        return layer
                    }
                }
                if let text = parameters.get("severity") {
                    guard let severity = LogSeverity(rawValue: text) else {
                        throw APIError(
                            .badRequest, code: "parameter.invalid",
                            message: "severity must be one of \(LogSeverity.allCases.map(\.rawValue).joined(separator: ", "))", field: "severity")
                    }
                    query.minimumSeverity = severity
                }
                query.since = try Self.date(parameters.get("since"), field: "since")
                query.until = try Self.date(parameters.get("until"), field: "until")
                if let text = parameters.get("after") {
                    guard let id = Int64(text) else {
                        throw APIError(.badRequest, code: "parameter.invalid", message: "after must be a line id", field: "after")
                    }
                    query.afterID = id
                }
                if let text = parameters.get("limit") {
                    guard let limit = Int(text) else {
                        throw APIError(.badRequest, code: "parameter.invalid", message: "limit must be a number", field: "limit")
                    }
                    query.limit = limit
                }
                if let principal = context.principal, principal.tenantKind == .applicationOwner {
                    guard let scoped = query.scoped(toApplicationOwner: principal.tenantID) else {
                        return ListPayload(kind: "LogLineList", items: [LogLine]())
                    }
                    query = scoped
                }
                return ListPayload(kind: "LogLineList", items: try await api.logs(query))
            }
        }
        Self.addTopology(to: group, api: api)
        group.get("logs/correlate") { request, _ in
            try await handle {
                let parameters = request.uri.queryParameters
                guard let container = parameters.get("container"), !container.isEmpty else {
                    throw APIError(.badRequest, code: "parameter.missing", message: "container is required", field: "container")
                }
                var window: TimeInterval = 300
                if let text = parameters.get("window") {
                    guard let value = Double(text) else {
                        throw APIError(.badRequest, code: "parameter.invalid", message: "window must be a number of seconds", field: "window")
                    }
                    window = value
                }
                let at = try Self.date(parameters.get("at"), field: "at")
                return Payload(try await api.correlate(container: container, at: at, window: window))
            }
        }
    }

    static func addTopology(to group: RouterGroup<TowerRequestContext>, api: any LogAPI) {
        group.get("topology") { request, _ in
            do {
                let parameters = request.uri.queryParameters
                guard let subject = parameters.get("subject"), !subject.isEmpty else {
                    throw APIError(
                        .badRequest, code: "parameter.missing", message: "subject is required: a container id or a host id", field: "subject")
                }
                var limit = 10
                if let text = parameters.get("limit") {
                    guard let value = Int(text) else {
                        throw APIError(.badRequest, code: "parameter.invalid", message: "limit must be a number", field: "limit")
                    }
                    limit = value
                }
                return Payload(try await api.topology(of: subject, limit: limit))
            } catch {
                throw APIError(error)
            }
        }
    }

    static func date(_ text: String?, field: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = ISO8601DateFormatter().date(from: text) else {
            throw APIError(.badRequest, code: "parameter.invalid", message: "\(field) must be an ISO 8601 time", field: field)
        }
        return date
    }

}
