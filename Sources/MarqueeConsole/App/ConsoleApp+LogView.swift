import Foundation
import MarqueeCore

/// The Logs view: opening it on the selection, its keys, and the lines arriving.
extension ConsoleApp {
    /// `v` (or `:logs [TEXT]`): the lines of the selected container, host or theater, else the fleet's.
    static func openLogView(_ state: inout ConsoleState, text: String? = nil) -> [ConsoleEffect] {
        let row = state.table.row(at: state.screen.cursor)?.id
        let scope: String
        switch state.screen.kind {
        case .host(let id): scope = row.map { "container:\($0)" } ?? "host:\(id)"
        case .timeline(let subject), .topology(let subject): scope = subject.contains("/") ? "container:\(subject)" : "host:\(subject)"
        case .site(let id): scope = row.map { "host:\($0)" } ?? "site:\(id)"
        case .hosts, .pendingHosts, .cohort: scope = row.map { "host:\($0)" } ?? "fleet"
        case .sites: scope = row.map { "site:\($0)" } ?? "fleet"
        case .logs(let current): scope = current
        default: scope = "fleet"
        }
        var view = LogView(scope: scope, text: text?.isEmpty == false ? text : nil)
        if let current = state.logView, current.scope == scope {
            (view.preset, view.from, view.until, view.showTime, view.wrap) = (
                current.preset, current.from, current.until, current.showTime, current.wrap
            )
        }
        state.logView = view
        if case .logs = state.screen.kind { state.rebuildTable() } else { _ = push(&state, .logs(scope)) }
        return [.loadLogs(scope: scope, query: view.query(now: state.now), append: false, delay: 0)]
    }

    /// Keys of the Logs view; `nil` when the key is not one of them.
    static func logViewKey(_ state: inout ConsoleState, _ key: Key) -> [ConsoleEffect]? {
        guard case .logs(let scope) = state.screen.kind, var view = state.logView, view.scope == scope, case .character(let character) = key else {
            return nil
        }
        var effects: [ConsoleEffect] = []
        switch character {
        case "f":
            view.following.toggle()
            if view.following, !state.logFollowInFlight {
                state.logFollowInFlight = true
                effects = [.loadLogs(scope: scope, query: view.query(now: state.now, following: true), append: true, delay: 0)]
            }
            state.flash = Flash(level: .info, text: view.following ? "following: new lines every 2 s" : "paused")
        case "1", "2", "3", "4", "5":
            view.preset = LogView.presets[Int(String(character))! - 1]
            (view.from, view.until) = (nil, nil)
            effects = [.loadLogs(scope: scope, query: view.query(now: state.now), append: false, delay: 0)]
        case "T": view.showTime.toggle()
        case "W": view.wrap.toggle()
        case "S":
            let text = view.lines.map { line in
                "\(LogView.clock(line.time)) \(line.layer.rawValue) \(line.severity.rawValue) \(line.container ?? line.hostID) \(line.message)"
            }.joined(separator: "\n")
            let stamp = LogView.clock(state.now).filter { $0.isNumber }
            let safe = String(scope.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
            let name = "marquee-logs-\(safe)-\(stamp).log"
            return [.saveLogs(file: String(name), text: text + "\n", lines: view.lines.count)]
        default:
            return nil
        }
        state.logView = view
        state.rebuildTable()
        return effects
    }

    /// `:range FROM [UNTIL]` on the Logs view: an absolute range instead of the preset.
    static func setLogRange(_ state: inout ConsoleState, from: Date, until: Date?) -> [ConsoleEffect] {
        guard case .logs(let scope) = state.screen.kind, var view = state.logView else {
            state.flash = Flash(level: .error, text: ":range works in the Logs view (v, or :logs)")
            return []
        }
        (view.from, view.until, view.following) = (from, until, false)
        state.logView = view
        return [.loadLogs(scope: scope, query: view.query(now: state.now), append: false, delay: 0)]
    }

    static func received(_ state: inout ConsoleState, logs lines: [LogLine], scope: String, append: Bool) -> [ConsoleEffect] {
        if append { state.logFollowInFlight = false }
        guard var view = state.logView, view.scope == scope else { return [] }
        let atBottom = state.screen.cursor >= state.table.count - 1
        if append {
            let last = view.lines.last?.id ?? 0
            view.lines += lines.filter { $0.id > last }.sorted { $0.id < $1.id }
        } else {
            view.lines = lines.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        }
        if view.lines.count > LogView.keep { view.lines.removeFirst(view.lines.count - LogView.keep) }
        view.loaded = true
        state.logView = view
        let selected = state.table.row(at: state.screen.cursor)?.id
        if case .logs(let shown) = state.screen.kind, shown == scope {
            state.rebuildTable()
            if atBottom || !append { move(&state, to: state.table.count - 1) } else { reselect(&state, id: selected) }
        }
        guard view.following, !state.logFollowInFlight else { return [] }
        state.logFollowInFlight = true
        return [.loadLogs(scope: scope, query: view.query(now: state.now, following: true), append: true, delay: 2)]
    }
}
