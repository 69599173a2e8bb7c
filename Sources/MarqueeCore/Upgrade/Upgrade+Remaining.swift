import Foundation

extension Upgrade {
    /// Time one host takes, start to done: measured on the sites that finished (their time over
    /// their hosts), or, before any has, the dry run's assumption (drain + install + healthy-for).
    public var secondsPerHost: TimeInterval {
        var elapsed = 0.0
        var hosts = 0
        for site in sites.values where site.phase == .done && !site.doneHosts.isEmpty {
            guard let started = site.startedAt, let finished = site.finishedAt else { continue }
            elapsed += finished.timeIntervalSince(started)
            hosts += site.doneHosts.count
        }
        guard hosts > 0 else { return UpgradeDryRun.drainEstimate + UpgradeDryRun.installEstimate + plan.gates.healthyFor }
        return elapsed / Double(hosts)
    }

    /// About how long the running plan needs to finish: its waves one after another, each as long
    /// as its site with the most hosts left (sites of a wave work in parallel, one host at a time),
    /// at ``secondsPerHost``. Time spent waiting for maintenance windows is not included. Nil when
    /// the plan is not running (paused, halted, aborted or completed).
    public var estimatedSecondsLeft: TimeInterval? {
        guard state == .running, let current = currentWave else { return state == .running ? 0 : nil }
        let perHost = secondsPerHost
        var left = 0.0
        for wave in waves[current...] {
            let longest = wave.compactMap { sites[$0] }.filter { !$0.phase.isFinished }.map { $0.hosts.count - $0.doneHosts.count }.max() ?? 0
            left += Double(max(0, longest)) * perHost
        }
        return left
    }

    /// `ETA 2h10m` (`+ windows` when the plan has maintenance windows), or nil when not running.
    public var etaDescription: String? {
        estimatedSecondsLeft.map { "ETA \(RelativeDuration.format($0))\(plan.windows.isEmpty ? "" : " + windows")" }
    }
}
