import Foundation

/// What an upgrade plan would do if started now (`marquee upgrade plan`).
public struct UpgradeDryRun: Codable, Sendable, Equatable {
    public struct Wave: Codable, Sendable, Equatable {
        public var index: Int
        public var isCanary: Bool
        public var sites: [String]
        /// Hosts to upgrade in this wave.
        public var hosts: Int
        public var start: Date
        public var end: Date
    }

    public var name: String
    public var targets: UpgradeTargets
    public var selector: String
    public var sites: Int
    /// Hosts that do not yet run the targets (offline ones excluded).
    public var hosts: Int
    /// Sites where every host already runs the targets.
    public var alreadyDone: Int
    public var waves: [Wave]
    public var windows: [String]
    public var gates: UpgradeGates
    public var maxFailed: Int
    /// Estimated end minus start, seconds.
    public var estimatedSeconds: TimeInterval

    /// Assumed time to drain a host and to install and reboot it (for estimates).
    public static let drainEstimate: TimeInterval = 120
    public static let installEstimate: TimeInterval = 300

    /// Estimates each wave: its sites work in parallel, each site one host at a time, starting when
    /// the site's window opens (assuming each host then starts within a window).
    static func estimate(_ upgrade: Upgrade, hostsPerSite: [String: Int], timeZones: [String: TimeZone], start: Date) -> UpgradeDryRun {
        let plan = upgrade.plan
        let perHost = drainEstimate + installEstimate + plan.gates.healthyFor
        var time = start
        var waves: [Wave] = []
        for (index, sites) in upgrade.waves.enumerated() {
            var end = time
            for siteID in sites {
                let opens = timeZones[siteID].flatMap { plan.rolloutPolicy.nextWindowOpening(after: time, timeZone: $0) } ?? time
                end = max(end, opens.addingTimeInterval(Double(hostsPerSite[siteID, default: 0]) * perHost))
            }
            waves.append(
                Wave(
                    index: index, isCanary: upgrade.hasCanary && index == 0, sites: sites,
                    hosts: sites.reduce(0) { $0 + hostsPerSite[$1, default: 0] },
                    start: time, end: end))
            time = end
        }
        return UpgradeDryRun(
            name: plan.name, targets: plan.targets, selector: plan.select, sites: upgrade.sites.count, hosts: hostsPerSite.values.reduce(0, +),
            alreadyDone: hostsPerSite.values.filter { $0 == 0 }.count, waves: waves, windows: plan.windows.map(\.description), gates: plan.gates,
            maxFailed: plan.maxFailed, estimatedSeconds: time.timeIntervalSince(start))
    }
}
