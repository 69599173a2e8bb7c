import Foundation
import MarqueeCore

/// What the user is typing into, if anything.
public enum InputMode: Hashable, Sendable {
    case normal
    /// `:` prompt with the text typed so far.
    case command(String)
    /// `/` prompt; `previous` is restored on Esc.
    case filter(text: String, previous: String)
    /// The help overlay.
    case help
    /// A confirmation dialog; `action` runs if the operator confirms.
    case confirm(Dialog, action: ConsoleEffect)
}

/// A short message on the bottom line.
public struct Flash: Hashable, Sendable {
    public enum Level: Hashable, Sendable { case info, warning, error }
    public var level: Level
    public var text: String

    public init(level: Level, text: String) {
        self.level = level
        self.text = text
    }
}

/// The console's whole state. ``ConsoleApp/update(_:_:)`` is a pure function over it.
public struct ConsoleState: Sendable {
    /// Navigation stack; the last screen is shown.
    public var stack: [Screen]
    public var data: FleetData?
    /// Hosts whose containers have been loaded.
    public var hostDetails: [String: HostDetail] = [:]
    /// Theaters whose own events have been loaded.
    public var siteDetails: [String: SiteDetail] = [:]
    /// Rollouts whose per-site detail has been loaded.
    public var rolloutDetails: [String: Rollout] = [:]
    /// The Security view's tenants, quotas and audit trail, once read.
    public var security: SecurityOverview?
    /// Probe judgements, trends, worst theaters and alerts (`nil` until a probes view first loads them).
    public var probeOverview: ProbeOverview?
    /// When ``probeOverview`` was last asked for (judging is not free: at most every 15 s).
    public var probesLoadedAt: Date?
    /// A probe judgement is being read: no second one is asked for until it arrives.
    public var probesInFlight = false
    /// Country × time heatmaps by application.
    public var heatmaps: [String: ProbeGrid] = [:]
    /// Correlated log timelines by container.
    public var timelines: [String: LogCorrelation] = [:]
    /// The moment a container's timeline is centred on when not now: the alert's raise time when
    /// it was opened from an alert ("logs at this spike").
    public var timelineMoments: [String: Date] = [:]
    /// How far either side of its moment a container's timeline reaches.
    public static let timelineWindow: TimeInterval = 600
    /// Where containers and hosts sit, by subject (container or host id).
    public var topologies: [String: Topology] = [:]
    /// The Logs view's lines and settings.
    public var logView: LogView?
    /// A follow read is on its way (one at a time).
    public var logFollowInFlight = false
    /// Containers listed per shared runtime / kernel in the topology view.
    public static let topologyExamples = 50

    /// Degradation reports per application.
    public var probeReports: [ProbeCohortReport]? { probeOverview?.reports }
    public var mode: InputMode = .normal
    public var width: Int
    public var height: Int
    /// Actions that change the fleet are disabled (and absent from help) when true.
    public var readOnly: Bool
    public var flash: Flash?
    /// When the data last changed.
    public var dataChangedAt: Date?
    /// Set when the last refresh failed; cleared by the next success.
    public var loadError: String?
    /// Shown until the first key press when the theme fell back to the default.
    public var themeWarning: String?
    /// The current screen's rows, filtered and sorted (derived; rebuilt when its inputs change).
    public internal(set) var table: TableView
    /// The time used for "last seen" columns (the data's clock).
    public var now: Date
    public var quitRequested = false

    public init(root: ScreenKind = .countries, width: Int, height: Int, readOnly: Bool = true, now: Date) {
        self.stack = [Screen(kind: root)]
        self.width = width
        self.height = height
        self.readOnly = readOnly
        self.now = now
        self.table = TableView(model: .empty, filter: "", sort: nil)
    }

    /// The screen being shown.
    public var screen: Screen {
        get { stack[stack.count - 1] }
        set { stack[stack.count - 1] = newValue }
    }

    /// Rows the table area can show at the current size.
    var pageSize: Int {
        max(1, tableArea.height - 1)
    }

    /// Where the table is drawn (below the header, crumbs, title and any detail panel).
    public var tableArea: (top: Int, height: Int) {
        let top = 3 + detailPanelHeight
        return (top, max(0, height - top - 1))
    }

    /// Lines used by the site/host detail panel above the table.
    var detailPanelHeight: Int {
        switch screen.kind {
        case .site: 5
        case .host: 5
        case .rollout: 5
        case .cohort: 7
        case .probes: 4
        case .timeline: 4
        case .topology: 6
        case .logs: logView?.wrap == true ? 8 : 2
        default: 0
        }
    }

    /// Rebuilds ``table`` from the data and the current screen's filter and sort.
    mutating func rebuildTable() {
        guard let data else {
            table = TableView(model: .empty, filter: "", sort: nil)
            return
        }
        let model = TableBuilders.model(
            for: screen.kind, data: data, hostDetails: hostDetails, rollouts: rolloutDetails, probes: probeOverview, heatmaps: heatmaps,
            timelines: timelines, topologies: topologies, logView: logView, security: security, now: now)
        let filter: String
        if case .filter(let text, _) = mode { filter = text } else { filter = screen.filter }
        table = TableView(model: model, filter: filter, sort: screen.sort)
        clampCursor()
    }

    /// Keeps the cursor on a row and in view.
    mutating func clampCursor() {
        var current = screen
        current.cursor = max(0, min(current.cursor, table.count - 1))
        let page = pageSize
        if current.cursor < current.offset { current.offset = current.cursor }
        if current.cursor >= current.offset + page { current.offset = current.cursor - page + 1 }
        current.offset = max(0, min(current.offset, max(0, table.count - page)))
        screen = current
    }
}
