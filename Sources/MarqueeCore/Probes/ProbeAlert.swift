import Foundation

/// One (application, theater) probe alert as read back from the event log.
public struct ProbeAlert: Codable, Sendable, Equatable, Identifiable {
    public var app: String
    public var siteID: String
    /// When it was last raised.
    public var raisedAt: Date
    /// When it cleared; `nil` while it is active.
    public var clearedAt: Date?
    /// The raising event's message (p95, host, baseline, likely cause).
    public var message: String

    public var id: String { "\(app)/\(siteID)" }
    public var isActive: Bool { clearedAt == nil }

    /// Alerts from `events` (any order; other kinds are ignored), active ones first, newest first.
    ///
    /// A `probe.*` event's subject is `site/ID` and its message starts with the application's name.
    public static func alerts(from events: [Event]) -> [ProbeAlert] {
        var alerts: [String: ProbeAlert] = [:]
        for event in events.sorted(by: { ($0.time, $0.id ?? 0) < ($1.time, $1.id ?? 0) }) {
            guard event.kind == "probe.degraded" || event.kind == "probe.recovered", event.subject.hasPrefix("site/"),
                let app = event.message.split(separator: " ", maxSplits: 1).first.map(String.init)
            else { continue }
            let site = String(event.subject.dropFirst("site/".count))
            let key = "\(app)/\(site)"
            if event.kind == "probe.degraded" {
                alerts[key] = ProbeAlert(app: app, siteID: site, raisedAt: event.time, clearedAt: nil, message: event.message)
            } else if alerts[key]?.clearedAt == nil {
                alerts[key]?.clearedAt = event.time
            }
        }
        return alerts.values.sorted {
            ($0.isActive ? 1 : 0, $0.clearedAt ?? $0.raisedAt, $1.id) > ($1.isActive ? 1 : 0, $1.clearedAt ?? $1.raisedAt, $0.id)
        }
    }
}

extension ProbeAlerts {
    /// Marks `alerts` that are still active as raised, so that a restarted tower clears them when
    /// their theaters recover instead of forgetting them.
    public mutating func restore(_ alerts: [ProbeAlert], now: Date) {
        for alert in alerts where alert.isActive {
            watches[alert.id] = Watch(streakStart: now, degraded: true, raised: true)
        }
    }
}
