/// What a key does in the normal (browsing) mode.
public enum ConsoleAction: Hashable, Sendable {
    case moveDown, moveUp, pageDown, pageUp, top, bottom
    case open, back, command, filter, help, mark, clearMarks
    case sortNextColumn, sortPreviousColumn, refresh, quit
    case hosts, events, countries
    case approve, reject
    case rollouts, upgrades, pauseResume, abortRollout, rollbackRollout, probes, worstSites, heatmap, alerts, timeline, topology, logs
    case lockdown, unlock, revokeHost
}

/// One entry in the key map; the help panel and the hint line are generated from these.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var action: ConsoleAction
    public var help: String
    public var group: String
    /// Shown in the bottom hint line.
    public var hint: Bool
    /// Changes the fleet; removed from the map in read-only mode.
    public var dangerous: Bool

    init(_ keys: [Key], _ action: ConsoleAction, _ help: String, group: String, hint: Bool = false, dangerous: Bool = false) {
        self.keys = keys
        self.action = action
        self.help = help
        self.group = group
        self.hint = hint
        self.dangerous = dangerous
    }

    /// `j/↓`.
    public var label: String { keys.map(\.label).joined(separator: "/") }
}

/// The console's key map (k9s habits).
public enum KeyBindings {
    public static let all: [KeyBinding] = [
        KeyBinding([.character("j"), .down], .moveDown, "Move down", group: "Navigation"),
        KeyBinding([.character("k"), .up], .moveUp, "Move up", group: "Navigation"),
        KeyBinding([.pageDown, .ctrl("f")], .pageDown, "Page down", group: "Navigation"),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, "Page up", group: "Navigation"),
        KeyBinding([.character("g"), .home], .top, "First row", group: "Navigation"),
        KeyBinding([.character("G"), .end], .bottom, "Last row", group: "Navigation"),
        KeyBinding([.enter], .open, "Open (drill down)", group: "Navigation", hint: true),
        KeyBinding([.escape], .back, "Clear filter, then back", group: "Navigation", hint: true),
        KeyBinding([.character(":")], .command, "Command / jump (:sites :hosts :events :site ID :q)", group: "Navigation", hint: true),
        KeyBinding([.character("/")], .filter, "Filter: text, or a selector like country=SE and screens>=10", group: "Table", hint: true),
        KeyBinding([.character(" ")], .mark, "Mark / unmark row", group: "Table"),
        KeyBinding([.ctrl("\\")], .clearMarks, "Clear marks", group: "Table"),
        KeyBinding([.character(">")], .sortNextColumn, "Sort by next column (again: reverse)", group: "Table"),
        KeyBinding([.character("<")], .sortPreviousColumn, "Sort by previous column", group: "Table"),
        KeyBinding([.character("h")], .hosts, "All hosts", group: "Views"),
        KeyBinding([.character("e")], .events, "Events", group: "Views"),
        KeyBinding([.character("c")], .countries, "Countries", group: "Views"),
        KeyBinding([.character("o")], .rollouts, "Rollouts (:apps for applications)", group: "Views"),
        KeyBinding([.character("u")], .upgrades, "Upgrades: plans, then each theater's host and step", group: "Views"),
        KeyBinding([.character("d")], .probes, "Degraded: probe latency per app, then its cohorts", group: "Views"),
        KeyBinding([.character("w")], .worstSites, "Worst theaters by probe p95, with trend and baseline", group: "Views"),
        KeyBinding([.character("!")], .alerts, "Probe alerts (degraded theaters)", group: "Views"),
        KeyBinding([.character("l")], .timeline, "Logs: the container's lines with its host's runtime and kernel lines", group: "Views"),
        KeyBinding([.character("v")], .logs, "Logs view of the selection (f follow, 1-5 presets, T time, W wrap, S save)", group: "Views"),
        KeyBinding([.character("t")], .topology, "Topology: container → host → kernel, runtime; what shares them", group: "Views"),
        KeyBinding([.character("m")], .heatmap, "Heatmap: the selected app's p95 per country over a day", group: "Views"),
        KeyBinding([.character("a")], .approve, "Approve the pending host (:hosts pending)", group: "Actions", dangerous: true),
        KeyBinding([.character("r")], .reject, "Reject the pending host (:hosts pending)", group: "Actions", dangerous: true),
        KeyBinding([.character("p")], .pauseResume, "Pause / resume the rollout or upgrade", group: "Actions", dangerous: true),
        KeyBinding([.character("x")], .abortRollout, "Abort the rollout or upgrade", group: "Actions", dangerous: true),
        KeyBinding([.character("b")], .rollbackRollout, "Roll the rollout back", group: "Actions", dangerous: true),
        KeyBinding([.ctrl("l")], .lockdown, "Lock the theater down (type its id)", group: "Actions", dangerous: true),
        KeyBinding([.ctrl("u")], .unlock, "Unlock the theater (type its id; platform-admin)", group: "Actions", dangerous: true),
        KeyBinding([.ctrl("k")], .revokeHost, "Revoke the host's credential: stolen hardware (type its id)", group: "Actions", dangerous: true),
        KeyBinding([.ctrl("r")], .refresh, "Refresh now", group: "General"),
        KeyBinding([.character("?")], .help, "Help", group: "General", hint: true),
        KeyBinding([.ctrl("c")], .quit, "Quit (also :q)", group: "General", hint: true),
    ]

    /// The bindings in effect: dangerous ones are removed in read-only mode.
    public static func active(readOnly: Bool) -> [KeyBinding] {
        readOnly ? all.filter { !$0.dangerous } : all
    }

    /// Key → action for the normal mode.
    static func map(readOnly: Bool) -> [Key: ConsoleAction] {
        var map: [Key: ConsoleAction] = [:]
        for binding in active(readOnly: readOnly) {
            for key in binding.keys { map[key] = binding.action }
        }
        return map
    }

    static let readOnlyMap = map(readOnly: true)
    static let writeMap = map(readOnly: false)
}
