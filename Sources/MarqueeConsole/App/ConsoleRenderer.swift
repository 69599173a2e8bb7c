import Foundation
import MarqueeCore

/// Renders single frames without a terminal: `--render-once`, snapshots and benchmarks.
public enum ConsoleRenderer {
    /// Loads the fleet through `api` and renders `view` at `width`×`height` as plain text.
    public static func renderOnce(
        api: some FleetAPI, deployments: (any DeploymentAPI)? = nil, upgrades: (any UpgradeAPI)? = nil, probes: (any ProbeAPI)? = nil,
        security: (any SecurityAPI)? = nil, view: ScreenKind, width: Int, height: Int, readOnly: Bool, theme: Theme, now: Date = Date()
    ) async throws -> String {
        let state = try await state(
            api: api, deployments: deployments, upgrades: upgrades, probes: probes, security: security, view: view, width: width, height: height,
            readOnly: readOnly, now: now)
        return ConsoleView.render(state, theme: theme.resolve(for: .monochrome)).text()
    }

    /// The state the console would show on opening `view`.
    public static func state(
        api: some FleetAPI, deployments: (any DeploymentAPI)? = nil, upgrades: (any UpgradeAPI)? = nil, probes: (any ProbeAPI)? = nil,
        security: (any SecurityAPI)? = nil, view: ScreenKind, width: Int, height: Int, readOnly: Bool, now: Date
    ) async throws -> ConsoleState {
        let data = try await FleetData.load(from: api, deployments: deployments, upgrades: upgrades)
        var state = ConsoleState(root: .countries, width: width, height: height, readOnly: readOnly, now: now)
        _ = ConsoleApp.update(&state, .dataLoaded(data, at: now))
        switch view {
        case .site(let id): _ = ConsoleApp.update(&state, .siteDetailLoaded(try await api.site(id: id)))
        case .host(let id): _ = ConsoleApp.update(&state, .hostDetailLoaded(try await api.host(id: id)))
        case .rollout(let id):
            if let deployments { _ = ConsoleApp.update(&state, .rolloutLoaded(try await deployments.rollout(id: id))) }
        case .probes, .cohort, .worstSites, .alerts:
            if let probes {
                _ = ConsoleApp.update(&state, .probesLoaded(try await ProbeOverview.load(probes: probes, fleet: api, now: now), at: now))
            }
        case .heatmap(let app):
            if let probes {
                _ = ConsoleApp.update(
                    &state, .heatmapLoaded(try await probes.probeHeatmap(app: app, since: now.addingTimeInterval(-86_400), until: now, step: 3_600)))
            }
        case .security, .tenants:
            if let security { _ = ConsoleApp.update(&state, .securityLoaded(try await SecurityOverview.load(from: security))) }
        default: break
        }
        state.open(view)
        return state
    }
}
