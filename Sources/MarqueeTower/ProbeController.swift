import Foundation
import Hummingbird
import MarqueeCore

/// Probe latency under `/v1/probes`: series for a scope, worst sites.
struct ProbeController {
    let api: any ProbeAPI
    /// Narrows probe data for application owners to their own applications.
    let owned: OwnedApplications

    /// Refuses (404, as if it did not exist) an application owner asking for another tenant's app.
    func requireVisible(_ app: String, to principal: Principal?) async throws {
        if let apps = try await owned.visible(to: principal), !apps.contains(app) {
            throw APIError(.notFound, code: "probes.unknown_app", message: "no probe data for application '\(app)'", field: "app")
        }
    }

    func addRoutes(to group: RouterGroup<TowerRequestContext>) {
        addCohortRoute(to: group)
        group.get("probes/series") { request, context in
            try await handle {
                let parameters = request.uri.queryParameters
                guard let app = parameters.get("app"), !app.isEmpty else {
                    throw APIError(.badRequest, code: "parameter.missing", message: "app is required", field: "app")
                }
                var scope = ProbeScope.fleet
                if let text = parameters.get("scope") {
                    guard let parsed = ProbeScope(text) else {
                        throw APIError(
                            .badRequest, code: "parameter.invalid", message: "scope must be fleet, country:CODE, site:ID or host:ID", field: "scope")
                    }
                    scope = parsed
                }
                try await requireVisible(app, to: context.principal)
                let (since, until) = try Self.range(parameters.get("since"), parameters.get("until"))
                let step = try Self.step(parameters.get("step"))
                return Payload(try await api.probeSeries(ProbeSeriesQuery(app: app, scope: scope, since: since, until: until, step: step)))
            }
        }
        group.get("probes/heatmap") { request, context in
            try await handle {
                let parameters = request.uri.queryParameters
                guard let app = parameters.get("app"), !app.isEmpty else {
                    throw APIError(.badRequest, code: "parameter.missing", message: "app is required", field: "app")
                }
                try await requireVisible(app, to: context.principal)
                let (since, until) = try Self.range(parameters.get("since"), parameters.get("until"))
                return Payload(try await api.probeHeatmap(app: app, since: since, until: until, step: try Self.step(parameters.get("step"))))
            }
        }
        group.get("probes/top") { request, context in
            try await handle {
                let parameters = request.uri.queryParameters
                let (since, until) = try Self.range(parameters.get("since"), parameters.get("until"))
                var limit = 20
                if let text = parameters.get("limit") {
                    guard let value = Int(text) else {
                        throw APIError(.badRequest, code: "parameter.invalid", message: "limit must be a number", field: "limit")
                    }
                    limit = value
                }
                if let app = parameters.get("app") { try await requireVisible(app, to: context.principal) }
                var worst = try await api.probeWorstSites(app: parameters.get("app"), since: since, until: until, limit: limit)
                if let apps = try await owned.visible(to: context.principal) { worst = worst.filter { apps.contains($0.app) } }
                return ListPayload(kind: "ProbeSiteList", items: worst)
            }
        }
    }

    /// `GET /v1/probes/cohorts?app=&window=SECONDS&factor=`.
    func addCohortRoute(to group: RouterGroup<TowerRequestContext>) {
        group.get("probes/cohorts") { request, _ in
            try await handle {
                let parameters = request.uri.queryParameters
                var policy = DegradationPolicy()
                if let text = parameters.get("window") {
                    guard let value = Double(text) else {
                        throw APIError(.badRequest, code: "parameter.invalid", message: "window must be a number of seconds", field: "window")
                    }
                    policy.window = value
                }
                if let text = parameters.get("factor") {
                    guard let value = Double(text) else {
                        throw APIError(.badRequest, code: "parameter.invalid", message: "factor must be a number", field: "factor")
                    }
                    policy.factor = value
                }
                return ListPayload(kind: "ProbeCohortReportList", items: try await api.probeCohorts(app: parameters.get("app"), policy: policy))
            }
        }
    }

    static func step(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text) else {
            throw APIError(.badRequest, code: "parameter.invalid", message: "step must be a number of seconds", field: "step")
        }
        return value
    }

    /// `since` is required (ISO 8601); `until` defaults to now.
    static func range(_ since: String?, _ until: String?) throws -> (Date, Date) {
        let formatter = ISO8601DateFormatter()
        guard let sinceText = since else {
            throw APIError(.badRequest, code: "parameter.missing", message: "since is required (an ISO 8601 time)", field: "since")
        }
        guard let start = formatter.date(from: sinceText) else {
            throw APIError(.badRequest, code: "parameter.invalid", message: "since must be an ISO 8601 time", field: "since")
        }
        var end = Date()
        if let until {
            guard let date = formatter.date(from: until) else {
                throw APIError(.badRequest, code: "parameter.invalid", message: "until must be an ISO 8601 time", field: "until")
            }
            end = date
        }
        return (start, end)
    }

}
