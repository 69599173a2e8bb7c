import Foundation
import MarqueeCore

/// The console's update function: state + event → new state + effects. Pure; no I/O.
public enum ConsoleApp {
    /// Applies one event.
    public static func update(_ state: inout ConsoleState, _ event: ConsoleEvent) -> [ConsoleEffect] {
        switch event {
        case .resize(let width, let height):
            state.width = width
            state.height = height
            state.clampCursor()
            return []
        case .dataLoaded(let data, let at):
            // On the newest-first event stream, a cursor on the newest row stays on the newest row (like tail -f).
            let followHead = state.screen.kind == .events && state.screen.cursor == 0
            let selected = followHead ? nil : state.table.row(at: state.screen.cursor)?.id
            state.data = data
            // The fleet's own clock (a fast demo's runs ahead of the wall clock), so ages read right.
            state.now = data.summary.asOf
            state.dataChangedAt = at
            state.loadError = nil
            state.rebuildTable()
            reselect(&state, id: selected)
            if case .host(let id) = state.screen.kind { return [.loadHostDetail(id)] }
            if case .site(let id) = state.screen.kind { return [.loadSiteDetail(id)] }
            if case .rollout(let id) = state.screen.kind { return [.loadRollout(id)] }
            return refreshProbeViews(&state, at: at)
        case .timelineLoaded(let correlation):
            received(&state, timeline: correlation)
            return []
        case .topologyLoaded(let subject, let topology):
            received(&state, topology: topology, of: subject)
            return []
        case .logsLoaded(let scope, let lines, let append): return received(&state, logs: lines, scope: scope, append: append)
        case .heatmapLoaded(let grid):
            received(&state, heatmap: grid)
            return []
        case .probesLoaded(let overview, let at):
            received(&state, probes: overview, at: at)
            return []
        case .rolloutLoaded(let rollout):
            let selected = state.table.row(at: state.screen.cursor)?.id
            state.rolloutDetails[rollout.id] = rollout
            if case .rollout(let id) = state.screen.kind, id == rollout.id {
                state.rebuildTable()
                reselect(&state, id: selected)
            }
            return []
        case .securityLoaded(let overview):
            state.security = overview
            if state.screen.kind == .security || state.screen.kind == .tenants { state.rebuildTable() }
            return []
        case .siteDetailLoaded(let detail):
            state.siteDetails[detail.site.id] = detail
            return []
        case .dataFailed(let error):
            state.loadError = error
            return []
        case .hostDetailLoaded(let detail):
            let selected = state.table.row(at: state.screen.cursor)?.id
            state.hostDetails[detail.host.id] = detail
            if case .host(let id) = state.screen.kind, id == detail.host.id {
                state.rebuildTable()
                reselect(&state, id: selected)
            }
            return []
        case .detailFailed(let id, let error):
            if id == "probes" { state.probesInFlight = false }
            state.flash = Flash(level: .error, text: "cannot load \(id): \(error)")
            return []
        case .actionFinished(let flash):
            state.flash = flash
            return []
        case .key(let key):
            state.themeWarning = nil
            switch state.mode {
            case .normal:
                state.flash = nil
                return normalKey(&state, key)
            case .command(let text):
                return commandKey(&state, key, text: text)
            case .filter(let text, let previous):
                filterKey(&state, key, text: text, previous: previous)
                return []
            case .help:
                state.mode = .normal
                return []
            case .confirm(let dialog, let action):
                return confirmKey(&state, key, dialog: dialog, action: action)
            }
        }
    }

    // MARK: Normal mode

    private static func normalKey(_ state: inout ConsoleState, _ key: Key) -> [ConsoleEffect] {
        if let effects = logViewKey(&state, key) { return effects }
        if case .character(let character) = key, character.isUppercase, character != "G",
            let column = state.table.model.columns.firstIndex(where: { $0.sortKey == character })
        {
            sort(&state, column: column)
            return []
        }
        let map = state.readOnly ? KeyBindings.readOnlyMap : KeyBindings.writeMap
        guard let action = map[key] else { return [] }
        switch action {
        case .moveDown: move(&state, by: 1)
        case .moveUp: move(&state, by: -1)
        case .pageDown: move(&state, by: state.pageSize)
        case .pageUp: move(&state, by: -state.pageSize)
        case .top: move(&state, to: 0)
        case .bottom: move(&state, to: state.table.count - 1)
        case .open: return open(&state)
        case .back: back(&state)
        case .command: state.mode = .command("")
        case .filter: state.mode = .filter(text: state.screen.filter, previous: state.screen.filter)
        case .help: state.mode = .help
        case .mark:
            if let id = state.table.row(at: state.screen.cursor)?.id {
                if state.screen.marks.contains(id) { state.screen.marks.remove(id) } else { state.screen.marks.insert(id) }
                move(&state, by: 1)
            }
        case .clearMarks: state.screen.marks.removeAll()
        case .sortNextColumn: cycleSort(&state, step: 1)
        case .sortPreviousColumn: cycleSort(&state, step: -1)
        case .refresh:
            if case .logs = state.screen.kind { return [.refreshNow] + openLogView(&state, text: state.logView?.text) }
            return [.refreshNow] + reloads(for: state.screen.kind, in: state)
        case .quit:
            state.quitRequested = true
            return [.quit]
        case .hosts: return push(&state, .hosts)
        case .events: return push(&state, .events)
        case .countries: return push(&state, .countries)
        case .approve, .reject: askToDecide(&state, approve: action == .approve)
        case .rollouts: return push(&state, .rollouts)
        case .upgrades: return push(&state, .upgrades)
        case .probes: return push(&state, .probes)
        case .worstSites: return push(&state, .worstSites)
        case .timeline: return openTimeline(&state)
        case .topology: return openTopology(&state)
        case .logs: return openLogView(&state)
        case .alerts: return push(&state, .alerts)
        case .heatmap: return openHeatmap(&state)
        case .lockdown: askToLockdown(&state)
        case .unlock: askToUnlock(&state)
        case .revokeHost: askToRevokeHost(&state)
        case .pauseResume, .abortRollout, .rollbackRollout:
            switch state.screen.kind {
            case .upgrades, .upgrade: askToSteerUpgrade(&state, abort: action == .abortRollout)
            default: askToSteer(&state, action)
            }
        }
        return []
    }

    /// Opens the confirmation for approving or rejecting the selected pending host.
    private static func askToDecide(_ state: inout ConsoleState, approve: Bool) {
        guard state.screen.kind == .pendingHosts else {
            state.flash = Flash(level: .info, text: "approve and reject work on :hosts pending")
            return
        }
        guard let id = state.table.row(at: state.screen.cursor)?.id, let host = state.data?.hosts.first(where: { $0.id == id }) else {
            state.flash = Flash(level: .info, text: "no host is waiting for approval")
            return
        }
        let message = [
            "\(host.hostname) · serial \(host.serialNumber)", "asks to join \(host.siteID) (\(host.osDescription), kernel \(host.kernelRelease))", "",
            approve ? "It receives its credential on its next call home." : "It is revoked and cannot enroll without a site token.",
        ]
        let dialog = Dialog(
            title: approve ? "Approve \(id)?" : "Reject \(id)?", message: message, typedConfirmation: approve ? nil : id, dangerous: !approve)
        state.mode = .confirm(dialog, action: approve ? .approveHost(id) : .rejectHost(id))
    }

    // MARK: Confirmation

    private static func confirmKey(_ state: inout ConsoleState, _ key: Key, dialog: Dialog, action: ConsoleEffect) -> [ConsoleEffect] {
        var dialog = dialog
        switch key {
        case .escape, .ctrl("c"):
            state.mode = .normal
            state.flash = Flash(level: .info, text: "cancelled")
            return []
        case .tab, .left, .right:
            dialog.focusOnConfirm.toggle()
        case .enter:
            state.mode = .normal
            guard dialog.focusOnConfirm else {
                state.flash = Flash(level: .info, text: "cancelled")
                return []
            }
            guard dialog.canConfirm else {
                state.mode = .confirm(dialog, action: action)
                state.flash = Flash(level: .warning, text: "type \(dialog.typedConfirmation ?? "") to confirm")
                return []
            }
            state.flash = Flash(level: .info, text: "working…")
            return [action]
        case .backspace where dialog.typedConfirmation != nil:
            dialog.typed = String(dialog.typed.dropLast())
        case .character(let character) where dialog.typedConfirmation != nil:
            dialog.typed.append(character)
            // Typing the exact id is the confirmation: Enter then acts.
            if dialog.canConfirm { dialog.focusOnConfirm = true }
        default:
            break
        }
        state.mode = .confirm(dialog, action: action)
        return []
    }

    private static func move(_ state: inout ConsoleState, by delta: Int) {
        move(&state, to: state.screen.cursor + delta)
    }

    static func move(_ state: inout ConsoleState, to position: Int) {
        state.screen.cursor = position
        state.clampCursor()
    }

    private static func sort(_ state: inout ConsoleState, column: Int) {
        // On the event stream a cursor on the first row stays on the first row: `S` there brings the
        // most severe event under the cursor, ready for Enter.
        let followHead = state.screen.kind == .events && state.screen.cursor == 0
        let selected = followHead ? nil : state.table.row(at: state.screen.cursor)?.id
        if let current = state.screen.sort, current.column == column {
            state.screen.sort = SortOrder(column: column, ascending: !current.ascending)
        } else {
            state.screen.sort = SortOrder(column: column, ascending: !state.table.model.columns[column].numeric)
        }
        state.rebuildTable()
        reselect(&state, id: selected)
    }

    private static func cycleSort(_ state: inout ConsoleState, step: Int) {
        let count = state.table.model.columns.count
        guard count > 0 else { return }
        guard let current = state.screen.sort else {
            sort(&state, column: step > 0 ? 0 : count - 1)
            return
        }
        sort(&state, column: (current.column + step + count) % count)
    }

    private static func open(_ state: inout ConsoleState) -> [ConsoleEffect] {
        guard let row = state.table.row(at: state.screen.cursor) else { return [] }
        switch state.screen.kind {
        case .countries: return push(&state, .sites(country: row.id))
        case .sites: return push(&state, .site(row.id))
        case .site, .hosts, .pendingHosts: return push(&state, .host(row.id))
        case .host, .logs, .security, .tenants: return []
        case .apps:
            guard let rollout = state.data?.apps.first(where: { $0.name == row.id })?.rollout else {
                state.flash = Flash(level: .info, text: "\(row.id) has no rollout yet")
                return []
            }
            return push(&state, .rollout(rollout))
        case .rollouts: return push(&state, .rollout(row.id))
        case .upgrades: return push(&state, .upgrade(row.id))
        case .upgrade: return state.data?.sitesByID[row.id] == nil ? [] : push(&state, .site(row.id))
        case .probes: return push(&state, .cohort(row.id))
        case .cohort: return push(&state, .host(row.id))
        case .worstSites, .alerts:
            // Row ids are `app/site`: the app's degraded hosts at that theater, or the theater itself.
            let parts = row.id.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return [] }
            return openSlowSite(&state, app: parts[0], site: parts[1])
        case .heatmap: return push(&state, .sites(country: row.id))
        case .timeline: return []
        case .topology:
            // Rows are containers: their host.
            return push(&state, .host(String(row.id.prefix { $0 != "/" })))
        case .rollout:
            guard state.data?.sitesByID[row.id] != nil else { return [] }
            return push(&state, .site(row.id))
        case .events:
            guard let event = state.data?.events.first(where: { "event/\($0.id ?? -1)" == row.id }) else { return [] }
            let parts = event.subject.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return [] }
            switch parts[0] {
            case "site" where state.data?.sitesByID[parts[1]] != nil: return push(&state, .site(parts[1]))
            case "host": return push(&state, .host(parts[1]))
            default:
                state.flash = Flash(level: .info, text: "\(event.subject) has no view")
                return []
            }
        }
    }

    static func push(_ state: inout ConsoleState, _ kind: ScreenKind) -> [ConsoleEffect] {
        if state.screen.kind == kind { return [] }
        state.stack.append(Screen(kind: kind))
        state.rebuildTable()
        let loads = loads(for: kind, in: state)
        if !loads.isEmpty { return loads }
        if kind == .probes || state.probeOverview == nil, probesShown(state), !state.probesInFlight {
            state.probesInFlight = true
            return [.loadProbes(at: state.now)]
        }
        return []
    }

    private static func back(_ state: inout ConsoleState) {
        if !state.screen.filter.isEmpty {
            state.screen.filter = ""
            state.rebuildTable()
            return
        }
        guard state.stack.count > 1 else {
            state.flash = Flash(level: .info, text: "at the top; :q or Ctrl-C quits")
            return
        }
        state.stack.removeLast()
        state.rebuildTable()
    }

    // MARK: Prompts

    private static func commandKey(_ state: inout ConsoleState, _ key: Key, text: String) -> [ConsoleEffect] {
        switch key {
        case .escape, .ctrl("c"):
            state.mode = .normal
        case .backspace:
            if text.isEmpty { state.mode = .normal } else { state.mode = .command(String(text.dropLast())) }
        case .tab:
            if let first = CommandPalette.suggestions(for: text, data: state.data).first { state.mode = .command(first.completion) }
        case .enter:
            state.mode = .normal
            switch CommandPalette.resolve(text, data: state.data) {
            case .quit:
                state.quitRequested = true
                return [.quit]
            case .help: state.mode = .help
            case .screen(let kind): return push(&state, kind)
            case .logs(let text): return openLogView(&state, text: text)
            case .range(let from, let until): return setLogRange(&state, from: from, until: until)
            case .startUpgrade(let path): askToStartUpgrade(&state, path: path)
            case .error(let message): state.flash = Flash(level: .error, text: message)
            }
        case .character(let character):
            state.mode = .command(text + String(character))
        default:
            break
        }
        return []
    }

    private static func filterKey(_ state: inout ConsoleState, _ key: Key, text: String, previous: String) {
        switch key {
        case .escape, .ctrl("c"):
            state.mode = .normal
            state.screen.filter = previous
            state.rebuildTable()
        case .enter:
            state.mode = .normal
            state.screen.filter = text
            state.screen.cursor = 0
            state.rebuildTable()
            if let error = state.table.filterError { state.flash = Flash(level: .error, text: "filter: \(error)") }
        case .backspace:
            state.mode = .filter(text: String(text.dropLast()), previous: previous)
            state.screen.cursor = 0
            state.rebuildTable()
        case .character(let character):
            state.mode = .filter(text: text + String(character), previous: previous)
            state.screen.cursor = 0
            state.rebuildTable()
        default:
            break
        }
    }
}
