import Foundation
import MarqueeCore

/// The top line: fleet health counts, the mode badge (as text) and data age.
enum HeaderView {
    static func draw(_ state: ConsoleState, into buffer: inout ScreenBuffer, theme: ResolvedTheme) {
        let y = 0
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: theme[.header])
        let badge = state.readOnly ? " READ-ONLY " : " WRITE "
        let age = dataAge(state)
        let right = badge.displayWidth + 1 + age.text.displayWidth + 1
        var x = buffer.write(" MARQUEE ", x: 0, y: y, style: theme[.headerLabel])
        let limit = buffer.width - right
        if let summary = state.data?.summary {
            let locked = (state.data?.sites ?? []).filter { $0.site.status == .lockedDown }.map(\.site.id).sorted()
            let lockedText =
                locked.isEmpty ? "" : " LOCKED: \(locked.prefix(3).joined(separator: ", "))\(locked.count > 3 ? " +\(locked.count - 3)" : "") "
            let parts: [(String, StyleRole)] = [
                (lockedText, .modeWrite),
                (lockedText.isEmpty ? "" : " ", .header),
                ("\(summary.sites) theaters", .header),
                (" · ", .header),
                ("\(summary.healthySites) ok", .header),
                (" \(summary.degradedSites) degraded", summary.degradedSites > 0 ? .flashWarn : .header),
                (" \(summary.downSites) down", summary.downSites > 0 ? .flashError : .header),
                (" │ hosts \(summary.hosts.online)/\(summary.hosts.total) online", .header),
                (summary.hosts.offline > 0 ? " · \(summary.hosts.offline) offline" : "", .header),
                (ConsoleApp.upgradeInProgress(state.data).map { " │ \($0)" } ?? "", .flashWarn),
            ]
            for (text, role) in parts where !text.isEmpty {
                // Whole parts only: a cut-off count would mislead.
                guard x + text.displayWidth <= limit - 1 else { break }
                var style = theme[role]
                style.background = theme[.header].background
                x += buffer.write(text, x: x, y: y, style: style)
            }
        }
        buffer.write(badge, x: buffer.width - right, y: y, style: theme[state.readOnly ? .modeReadOnly : .modeWrite])
        var ageStyle = theme[age.stale ? .flashError : .header]
        ageStyle.background = theme[.header].background
        buffer.write(age.text, x: buffer.width - age.text.displayWidth - 1, y: y, style: ageStyle)
    }

    static func dataAge(_ state: ConsoleState) -> (text: String, stale: Bool) {
        if let error = state.loadError {
            return ("STALE: \(error)".truncated(toWidth: 30), true)
        }
        guard let changed = state.dataChangedAt else { return ("loading…", false) }
        return ("as of \(Clock.utcTime(changed)) UTC", false)
    }
}
