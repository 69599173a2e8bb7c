import Foundation
import MarqueeCore

/// ``LogAPI`` against a tower: `marquee logs … --tower URL`.
extension HTTPFleetAPI: LogAPI {
    public func logs(_ query: LogQuery) async throws -> [LogLine] {
        let formatter = ISO8601DateFormatter()
        let list: List<LogLine> = try await get(
            "/v1/logs",
            query: [
                ("site", query.siteID), ("host", query.hostID), ("container", query.container), ("app", query.app),
                ("layer", query.layers.map { $0.map(\.rawValue).joined(separator: ",") }), ("severity", query.minimumSeverity?.rawValue),
                ("since", query.since.map(formatter.string)), ("until", query.until.map(formatter.string)), ("grep", query.text),
                ("after", query.afterID.map(String.init)), ("limit", String(query.limit)),
            ])
        return list.items
    }

    public func correlate(container: String, at: Date?, window: TimeInterval) async throws -> LogCorrelation {
        try await get(
            "/v1/logs/correlate",
            query: [("container", container), ("at", at.map(ISO8601DateFormatter().string)), ("window", String(Int(window)))])
    }

    public func topology(of subject: String, limit: Int) async throws -> Topology {
        try await get("/v1/topology", query: [("subject", subject), ("limit", String(limit))])
    }
}
