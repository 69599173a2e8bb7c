import Foundation
import MarqueeCore

/// The probe and log screens: what arrives for them and the keys that open them.
extension ConsoleApp {
    /// After a data refresh: what the shown probe screen needs reading again.
    static func refreshProbeViews(_ state: inout ConsoleState, at: Date) -> [ConsoleEffect] {
        // A day by hour changes slowly: loaded when opened (and by Ctrl-R), not on every refresh.
        if case .heatmap(let app) = state.screen.kind, state.heatmaps[app] == nil { return [.loadHeatmap(app, at: state.now)] }
        if probesShown(state), !state.probesInFlight, state.probesLoadedAt.map({ at.timeIntervalSince($0) >= 15 }) ?? true {
            // One at a time, counted from the request: a slow judgement must not pile up behind refreshes.
            state.probesLoadedAt = at
            state.probesInFlight = true
            return [.loadProbes(at: state.now)]
        }
        return []
    }

    static func received(_ state: inout ConsoleState, probes overview: ProbeOverview, at: Date) {
        let selected = state.table.row(at: state.screen.cursor)?.id
        state.probesInFlight = false
        state.probeOverview = overview
        state.probesLoadedAt = at
        if probesShown(state) {
            state.rebuildTable()
            reselect(&state, id: selected)
        }
    }

    static func received(_ state: inout ConsoleState, heatmap grid: ProbeGrid) {
        let selected = state.table.row(at: state.screen.cursor)?.id
        state.heatmaps[grid.app] = grid
        if case .heatmap(let app) = state.screen.kind, app == grid.app {
            state.rebuildTable()
            reselect(&state, id: selected)
        }
    }

    static func received(_ state: inout ConsoleState, timeline correlation: LogCorrelation) {
        let selected = state.table.row(at: state.screen.cursor)?.id
        state.timelines[correlation.container] = correlation
        if case .timeline(let id) = state.screen.kind, id == correlation.container {
            state.rebuildTable()
            reselect(&state, id: selected)
        }
    }

    /// `l`: the selected container's timeline (a host's containers, or the app's container on a degraded host).
    static func openTimeline(_ state: inout ConsoleState) -> [ConsoleEffect] {
        switch state.screen.kind {
        case .host:
            guard let id = state.table.row(at: state.screen.cursor)?.id else { return [] }
            state.timelineMoments[id] = nil
            return push(&state, .timeline(id))
        case .cohort(let app):
            guard let host = state.table.row(at: state.screen.cursor)?.id,
                let container = state.probeReports?.first(where: { $0.app == app })?.degraded.first(where: { $0.hostID == host })?.container
            else {
                state.flash = Flash(level: .info, text: "no container of this app known on that host")
                return []
            }
            state.timelineMoments[container] = nil
            return push(&state, .timeline(container))
        case .worstSites, .alerts:
            // "Logs at this spike": the app's container on the theater's slowest degraded host.
            let parts = (state.table.row(at: state.screen.cursor)?.id ?? "").split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2,
                let slowest = state.probeReports?.first(where: { $0.app == parts[0] })?.degraded.filter({ $0.siteID == parts[1] })
                    .max(by: { $0.p95 < $1.p95 }),
                let container = slowest.container
            else {
                state.flash = Flash(level: .info, text: "that theater has no degraded host right now: Enter opens it")
                return []
            }
            // From an alert, the timeline is centred on when it was raised; from the worst list, on now.
            let alert = state.screen.kind == .alerts ? state.probeOverview?.alerts.first { $0.id == parts.joined(separator: "/") } : nil
            state.timelineMoments[container] = alert?.raisedAt
            return push(&state, .timeline(container))
        default:
            state.flash = Flash(level: .info, text: "l works on a container: open a host (its containers) or an app's degraded hosts")
            return []
        }
    }

    /// `m`: the heatmap of the selected (or shown) application.
    static func openHeatmap(_ state: inout ConsoleState) -> [ConsoleEffect] {
        switch state.screen.kind {
        case .probes:
            guard let app = state.table.row(at: state.screen.cursor)?.id else { return [] }
            return push(&state, .heatmap(app))
        case .cohort(let app): return push(&state, .heatmap(app))
        case .worstSites, .alerts:
            guard let id = state.table.row(at: state.screen.cursor)?.id, let app = id.split(separator: "/").first else { return [] }
            return push(&state, .heatmap(String(app)))
        default:
            state.flash = Flash(level: .info, text: "m works on an application: open the probes view (d) first")
            return []
        }
    }

    /// From a slow theater: the app's degraded hosts there (their containers one Enter away), or
    /// the theater's screen when none of its hosts is judged degraded.
    static func openSlowSite(_ state: inout ConsoleState, app: String, site: String) -> [ConsoleEffect] {
        let report = state.probeReports?.first { $0.app == app }
        guard report?.degraded.contains(where: { $0.siteID == site }) == true else {
            guard state.data?.sitesByID[site] != nil else { return [] }
            return push(&state, .site(site))
        }
        let effects = push(&state, .cohort(app))
        state.screen.filter = site
        state.rebuildTable()
        return effects
    }

    /// Whether the screen shows probe reports (they load only then: judging every host is not free).
    static func probesShown(_ state: ConsoleState) -> Bool {
        switch state.screen.kind {
        case .probes, .cohort, .worstSites, .alerts: true
        default: false
        }
    }
}
