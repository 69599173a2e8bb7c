import Foundation
import MarqueeCore

/// An input to ``ConsoleApp/update(_:_:)``.
public enum ConsoleEvent: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    /// A refresh read new data at `at`.
    case dataLoaded(FleetData, at: Date)
    /// A refresh failed.
    case dataFailed(String)
    case hostDetailLoaded(HostDetail)
    case siteDetailLoaded(SiteDetail)
    case rolloutLoaded(Rollout)
    /// Tenants, quotas and the audit trail arrived (the Security view).
    case securityLoaded(SecurityOverview)
    /// Degradation reports, trends, worst theaters and alerts arrived.
    case probesLoaded(ProbeOverview, at: Date)
    /// One application's country × time heatmap arrived.
    case heatmapLoaded(ProbeGrid)
    /// A container's correlated log timeline arrived.
    case timelineLoaded(LogCorrelation)
    /// A container's or host's topology arrived.
    case topologyLoaded(String, Topology)
    /// Lines for the Logs view of `scope` (appended when following).
    case logsLoaded(scope: String, lines: [LogLine], append: Bool)
    /// Loading a host's or theater's detail failed.
    case detailFailed(id: String, error: String)
    /// An action finished (or failed); the message goes to the bottom line.
    case actionFinished(Flash)
}

/// Work the runtime does on the update's behalf (all I/O lives here, not in update).
public enum ConsoleEffect: Hashable, Sendable {
    case loadHostDetail(String)
    case loadSiteDetail(String)
    case refreshNow
    case quit
    /// Approve / reject a pending host (write mode, after confirmation).
    case approveHost(String)
    case rejectHost(String)
    case loadRollout(String)
    /// Tenants, quotas and the newest audit records, with the chain verified.
    case loadSecurity
    /// Judge every application's probes (degraded hosts and cohorts) at the fleet's time.
    case loadProbes(at: Date)
    /// One application's p95 per country over the last day, at the fleet's time.
    case loadHeatmap(String, at: Date)
    /// A container's lines interleaved with its host's runtime, OS and kernel lines around `at`.
    case loadTimeline(String, at: Date)
    /// Where a container or host sits, and what shares its runtime and kernel.
    case loadTopology(String)
    /// Lines for the Logs view, after `delay` seconds (following reads every 2 s).
    case loadLogs(scope: String, query: LogQuery, append: Bool, delay: Int)
    /// Writes the Logs view's lines to `file` in the working directory.
    case saveLogs(file: String, text: String, lines: Int)
    /// Pause / resume / abort / roll back a rollout (write mode, after confirmation).
    case rolloutCommand(String, RolloutEngine.Command)
    /// Pause, resume or abort an upgrade plan.
    case upgradeCommand(String, UpgradeService.Command)
    /// Start the upgrade plan in this file.
    case startUpgrade(SpecFile)
    /// Lock the theater down (write mode, after typing its id).
    case lockdownSite(String)
    /// Unlock the theater (write mode, after typing its id; the tower checks platform-admin).
    case unlockSite(String)
    /// Revoke a host's credential (write mode, after typing its id).
    case revokeHost(String)
}
