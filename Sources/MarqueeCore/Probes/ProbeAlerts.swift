import Foundation

/// Raises and clears probe degradation alerts per (application, theater), with hysteresis so a
/// theater hovering at the threshold does not flap.
///
/// A theater is *degraded* for an app while any of its hosts is judged degraded
/// (``ProbeDegradation``). An alert is raised once the theater has been degraded on every
/// evaluation for ``raiseAfter``, and cleared once it has been healthy on every evaluation for
/// ``clearAfter`` (longer than ``raiseAfter``: quick to notice, slow to believe it is over).
/// Pure: the caller keeps the state and passes the evaluation time.
public struct ProbeAlerts: Sendable, Equatable {
    /// One (app, theater) being watched.
    public struct Watch: Sendable, Equatable {
        /// First evaluation of the current streak (degraded or healthy).
        public var streakStart: Date
        public var degraded: Bool
        public var raised: Bool
    }

    public var raiseAfter: TimeInterval
    public var clearAfter: TimeInterval
    /// Keyed by `app/site`.
    public internal(set) var watches: [String: Watch] = [:]

    public init(raiseAfter: TimeInterval = 180, clearAfter: TimeInterval = 600) {
        self.raiseAfter = raiseAfter
        self.clearAfter = clearAfter
    }

    /// Alerts currently raised, as `app/site` keys.
    public var raised: Set<String> { Set(watches.filter { $0.value.raised }.map(\.key)) }

    /// Takes one evaluation: the reports of every app at `now`. Returns the events to record.
    public mutating func evaluate(_ reports: [ProbeCohortReport], now: Date) -> [Event] {
        var degradedNow: [String: (report: ProbeCohortReport, hosts: [DegradedHost])] = [:]
        var measured: Set<String> = []
        for report in reports {
            for host in report.degraded { degradedNow["\(report.app)/\(host.siteID)", default: (report, [])].hosts.append(host) }
            measured.insert(report.app)
        }
        var events: [Event] = []
        // Theaters degraded now.
        for (key, entry) in degradedNow {
            var watch = watches[key] ?? Watch(streakStart: now, degraded: true, raised: false)
            if !watch.degraded {
                watch.degraded = true
                watch.streakStart = now
            }
            if !watch.raised, now.timeIntervalSince(watch.streakStart) >= raiseAfter {
                watch.raised = true
                events.append(Self.raisedEvent(key: key, report: entry.report, hosts: entry.hosts, now: now))
            }
            watches[key] = watch
        }
        // Watched theaters not degraded now (only for apps that were judged this time).
        for (key, var watch) in watches where degradedNow[key] == nil {
            guard let app = key.split(separator: "/").first.map(String.init), measured.contains(app) else { continue }
            if watch.degraded {
                watch.degraded = false
                watch.streakStart = now
            }
            if watch.raised, now.timeIntervalSince(watch.streakStart) >= clearAfter {
                watch.raised = false
                events.append(Self.clearedEvent(key: key, now: now))
            }
            // A theater that recovered before its alert was raised, or whose alert cleared, is forgotten.
            watches[key] = watch.raised ? watch : nil
        }
        return events.sorted { $0.subject < $1.subject }
    }

    static func split(_ key: String) -> (app: String, site: String) {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        return (parts.first ?? key, parts.count > 1 ? parts[1] : "")
    }

    static func raisedEvent(key: String, report: ProbeCohortReport, hosts: [DegradedHost], now: Date) -> Event {
        let (app, site) = split(key)
        let worst = hosts.max { $0.p95 < $1.p95 }!
        let ratio = worst.baselineP95 > 0 ? worst.p95 / worst.baselineP95 : 0
        var message =
            "\(app) is slow at \(site): p95 \(Int(worst.p95.rounded())) ms on \(worst.hostID) vs baseline \(Int(worst.baselineP95.rounded())) ms (\(String(format: "%.1f", ratio))×)"
        if let cause = report.cohorts.first { message += "; likely cause across the fleet: \(cause.attribute) \(cause.value)" }
        return Event(time: now, kind: "probe.degraded", severity: .warning, subject: "site/\(site)", message: message, actor: "marquee probes")
    }

    static func clearedEvent(key: String, now: Date) -> Event {
        let (app, site) = split(key)
        return Event(
            time: now, kind: "probe.recovered", severity: .notice, subject: "site/\(site)", message: "\(app) answers normally again at \(site)",
            actor: "marquee probes")
    }
}
