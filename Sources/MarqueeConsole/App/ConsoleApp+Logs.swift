import Foundation
import MarqueeCore

/// Screen loads, and the topology screen: what arrives for it and the key that opens it.
extension ConsoleApp {
    /// What a screen reads when it opens: its detail, heatmap, timeline or topology.
    static func loads(for kind: ScreenKind, in state: ConsoleState) -> [ConsoleEffect] {
        switch kind {
        case .host(let id): [.loadHostDetail(id)]
        case .site(let id): [.loadSiteDetail(id)]
        case .rollout(let id): [.loadRollout(id)]
        case .security, .tenants: [.loadSecurity]
        default: reloads(for: kind, in: state)
        }
    }

    /// What Ctrl-R reads again beside the fleet (details are read again with every refresh).
    static func reloads(for kind: ScreenKind, in state: ConsoleState) -> [ConsoleEffect] {
        switch kind {
        case .heatmap(let app): [.loadHeatmap(app, at: state.now)]
        case .timeline(let container): [.loadTimeline(container, at: state.timelineMoments[container] ?? state.now)]
        case .topology(let subject): [.loadTopology(subject)]
        case .security, .tenants: [.loadSecurity]
        default: []
        }
    }

    /// Applies events in order, collecting effects (for tests and scripted sessions).
    public static func run(_ state: inout ConsoleState, _ events: [ConsoleEvent]) -> [ConsoleEffect] {
        events.flatMap { update(&state, $0) }
    }

    static func reselect(_ state: inout ConsoleState, id: String?) {
        guard let id, let position = state.table.visible.firstIndex(where: { state.table.model.rows[$0].id == id }) else { return }
        state.screen.cursor = position
        state.clampCursor()
    }

    static func received(_ state: inout ConsoleState, topology: Topology, of subject: String) {
        let selected = state.table.row(at: state.screen.cursor)?.id
        state.topologies[subject] = topology
        if case .topology(let shown) = state.screen.kind, shown == subject {
            state.rebuildTable()
            reselect(&state, id: selected)
        }
    }

    /// `t`: the selected container's topology (or the selected host's, where rows are hosts).
    static func openTopology(_ state: inout ConsoleState) -> [ConsoleEffect] {
        let row = state.table.row(at: state.screen.cursor)?.id
        switch state.screen.kind {
        case .host(let id): return push(&state, .topology(row ?? id))
        case .timeline(let container): return push(&state, .topology(container))
        case .topology: return row.map { push(&state, .topology($0)) } ?? []
        case .hosts, .pendingHosts, .site, .cohort: return row.map { push(&state, .topology($0)) } ?? []
        default:
            state.flash = Flash(level: .info, text: "t works on a container or a host: open a theater, a host, or a container's logs")
            return []
        }
    }
}
