import Foundation

/// `kind: Deployment`: where an application runs (sites by label) and how new versions roll out.
/// One deployment per application.
public struct DeploymentSpec: Codable, Sendable, Equatable {
    /// The application it deploys (and the deployment's name).
    public var application: String
    public var version: VersionPolicy
    /// Label selector source text; sites whose labels match are candidates.
    public var placement: String
    public var rollout: RolloutPolicy
    /// Where the document came from (`file:line`).
    public var source: String

    public init(application: String, version: VersionPolicy, placement: String, rollout: RolloutPolicy, source: String) {
        self.application = application
        self.version = version
        self.placement = placement
        self.rollout = rollout
        self.source = source
    }

    /// The compiled placement selector (validated when the spec was read).
    public var selector: LabelSelector {
        get throws { try LabelSelector(placement) }
    }
}

/// Which version a deployment runs.
public enum VersionPolicy: Codable, Sendable, Equatable, CustomStringConvertible {
    /// `"*"`: every newly applied version rolls out.
    case follow
    /// Exactly this version.
    case exact(String)

    public var description: String {
        switch self {
        case .follow: "*"
        case .exact(let version): version
        }
    }
}

/// How a new version reaches the matching sites.
public struct RolloutPolicy: Codable, Sendable, Equatable {
    public var canary: CanaryPolicy?
    public var waves: WavePolicy
    /// How long a site must stay healthy before it counts as done.
    public var healthyFor: TimeInterval
    /// How long a site may take to become healthy before it fails.
    public var deadline: TimeInterval
    /// Failed sites tolerated; one more halts the rollout.
    public var maxFailed: Int
    public var autoRollback: AutoRollback
    /// When changes may start at a site, in the site's local time; empty = any time.
    public var windows: [MaintenanceWindow]

    public init(
        canary: CanaryPolicy? = nil, waves: WavePolicy = .sitesInParallel(25), healthyFor: TimeInterval = 300, deadline: TimeInterval = 1_800,
        maxFailed: Int = 0, autoRollback: AutoRollback = .onFailure, windows: [MaintenanceWindow] = []
    ) {
        self.canary = canary
        self.waves = waves
        self.healthyFor = healthyFor
        self.deadline = deadline
        self.maxFailed = maxFailed
        self.autoRollback = autoRollback
        self.windows = windows
    }

    /// Whether a change may start at a site in `timeZone` at `time`.
    public func windowOpen(at time: Date, timeZone: TimeZone) -> Bool {
        windows.isEmpty || windows.contains { $0.contains(time, timeZone: timeZone) }
    }

    /// The next moment at or after `time` when a window opens at a site in `timeZone` (minute precision, within 8 days).
    public func nextWindowOpening(after time: Date, timeZone: TimeZone) -> Date? {
        if windowOpen(at: time, timeZone: timeZone) { return time }
        var probe = time
        for _ in 0..<(8 * 24 * 4) {
            probe = probe.addingTimeInterval(900)
            if windowOpen(at: probe, timeZone: timeZone) {
                var back = probe
                while windowOpen(at: back.addingTimeInterval(-60), timeZone: timeZone), back > time { back = back.addingTimeInterval(-60) }
                return back
            }
        }
        return nil
    }
}

/// The first sites to receive a version, which must be healthy before the waves start.
public struct CanaryPolicy: Codable, Sendable, Equatable {
    public enum Sites: Codable, Sendable, Equatable {
        /// Sites matching this selector (among the placement).
        case match(String)
        /// This many sites, chosen spread across countries.
        case count(Int)
    }

    public var sites: Sites
    public var healthyFor: TimeInterval

    public init(sites: Sites, healthyFor: TimeInterval) {
        self.sites = sites
        self.healthyFor = healthyFor
    }
}

/// How the sites after the canary are grouped into waves.
public enum WavePolicy: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Waves of this many sites.
    case sitesInParallel(Int)
    /// Waves of this percentage of the remaining sites (rounded up).
    case percent(Int)

    /// Wave sizes for `count` sites.
    public func waveSize(for count: Int) -> Int {
        switch self {
        case .sitesInParallel(let size): max(1, size)
        case .percent(let percent): max(1, (count * percent + 99) / 100)
        }
    }

    public var description: String {
        switch self {
        case .sitesInParallel(let size): "\(size) sites in parallel"
        case .percent(let percent): "\(percent)% per wave"
        }
    }
}

/// What happens at a site whose new version fails.
public enum AutoRollback: String, Codable, Sendable, CaseIterable {
    /// Revert to the previous version when containers fail.
    case onFailure = "on-failure"
    /// Also revert when the site's probe latency regresses (needs probes).
    case onProbeRegression = "on-probe-regression"
    /// Leave the failed version in place.
    case off
}

/// A weekly window in the site's local time, e.g. Monday to Thursday 02:00–10:00.
public struct MaintenanceWindow: Codable, Sendable, Equatable, CustomStringConvertible {
    /// ISO weekdays 1 (Monday) … 7 (Sunday) on which the window opens.
    public var days: [Int]
    /// Minutes after local midnight.
    public var from: Int
    /// Minutes after local midnight; a window with `to <= from` runs past midnight.
    public var to: Int

    public init(days: [Int], from: Int, to: Int) {
        self.days = days
        self.from = from
        self.to = to
    }

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    public func contains(_ time: Date, timeZone: TimeZone) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: time)
        let isoDay = ((parts.weekday ?? 1) + 5) % 7 + 1
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        if from < to { return days.contains(isoDay) && minute >= from && minute < to }
        // Past midnight: the evening part belongs to the listed day, the morning part to the day after.
        let previousDay = (isoDay + 5) % 7 + 1
        return (days.contains(isoDay) && minute >= from) || (days.contains(previousDay) && minute < to)
    }

    public var description: String {
        let names = days.map { Self.dayNames[$0 - 1] }.joined(separator: ",")
        return "\(names) \(String(format: "%02d:%02d", from / 60, from % 60))–\(String(format: "%02d:%02d", to / 60, to % 60))"
    }
}
