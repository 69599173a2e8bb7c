/// The semantic styles views draw with; a theme gives each one colours.
///
/// Views never name colours: they ask for a role (`.tableCursor`, `.statusCritical`), and the
/// resolved theme answers with a ``CellStyle`` fitted to the terminal.
public enum StyleRole: Int, Sendable, CaseIterable {
    case body, header, headerLabel, crumbs, crumbsActive, menu, menuKey
    case prompt, promptSuggest, border, borderFocus, title, titleHighlight, titleCounter, titleFilter
    case flashInfo, flashWarn, flashError, help, helpSection, helpKey
    case dialog, dialogButton, dialogButtonFocus, dialogDanger
    case modeReadOnly, modeWrite
    case tableRow, tableCursor, tableMark, tableHeader, tableSorter
    case statusOK, statusWarn, statusCritical, statusUnknown, statusPending
    case latencyGood, latencyWarn, latencyBad, gaugeOK, gaugeFault
    /// A search's match inside a table cell.
    case tableMatch

    /// Where the role's colours come from in a theme file, and how it looks without colour.
    struct Spec {
        /// Key path of the foreground colour.
        var foreground: String
        /// Key path of the background colour; `nil` uses the role's `backgroundFrom`.
        var background: String?
        /// The role whose background this one sits on, when it has none of its own.
        var backgroundFrom: StyleRole?
        /// Attributes in every depth.
        var attributes: TextAttributes = []
        /// Extra attributes in monochrome, where colour cannot carry the meaning.
        var monochrome: TextAttributes = []
    }

    var spec: Spec {
        switch self {
        case .body: Spec(foreground: "ui.body.fg", background: "ui.body.bg")
        case .header: Spec(foreground: "ui.header.fg", background: "ui.header.bg", monochrome: [.reverse])
        case .headerLabel: Spec(foreground: "ui.header.label", backgroundFrom: .header, attributes: [.bold], monochrome: [.reverse])
        case .crumbs: Spec(foreground: "ui.crumbs.fg", background: "ui.crumbs.bg")
        case .crumbsActive: Spec(foreground: "ui.crumbs.active", backgroundFrom: .crumbs, attributes: [.bold], monochrome: [.underline])
        case .menu: Spec(foreground: "ui.menu.fg", backgroundFrom: .body)
        case .menuKey: Spec(foreground: "ui.menu.key", backgroundFrom: .body, attributes: [.bold])
        case .prompt: Spec(foreground: "ui.prompt.fg", background: "ui.prompt.bg", monochrome: [.bold])
        case .promptSuggest: Spec(foreground: "ui.prompt.suggest", backgroundFrom: .prompt, monochrome: [.dim])
        case .border: Spec(foreground: "ui.border.fg", backgroundFrom: .body)
        case .borderFocus: Spec(foreground: "ui.border.focus", backgroundFrom: .body, monochrome: [.bold])
        case .title: Spec(foreground: "ui.title.fg", backgroundFrom: .body, attributes: [.bold])
        case .titleHighlight: Spec(foreground: "ui.title.highlight", backgroundFrom: .body, attributes: [.bold])
        case .titleCounter: Spec(foreground: "ui.title.counter", backgroundFrom: .body)
        case .titleFilter: Spec(foreground: "ui.title.filter", backgroundFrom: .body, monochrome: [.underline])
        case .flashInfo: Spec(foreground: "ui.flash.info", backgroundFrom: .body)
        case .flashWarn: Spec(foreground: "ui.flash.warn", backgroundFrom: .body, attributes: [.bold])
        case .flashError: Spec(foreground: "ui.flash.error", backgroundFrom: .body, attributes: [.bold], monochrome: [.reverse])
        case .help: Spec(foreground: "ui.help.fg", background: "ui.dialog.bg")
        case .helpSection: Spec(foreground: "ui.help.section", backgroundFrom: .help, attributes: [.bold], monochrome: [.underline])
        case .helpKey: Spec(foreground: "ui.help.key", backgroundFrom: .help, attributes: [.bold])
        case .dialog: Spec(foreground: "ui.dialog.fg", background: "ui.dialog.bg")
        case .dialogButton: Spec(foreground: "ui.dialog.button.fg", background: "ui.dialog.button.bg")
        case .dialogButtonFocus:
            Spec(foreground: "ui.dialog.buttonFocus.fg", background: "ui.dialog.buttonFocus.bg", attributes: [.bold], monochrome: [.reverse])
        case .dialogDanger: Spec(foreground: "ui.dialog.danger.fg", background: "ui.dialog.danger.bg", attributes: [.bold], monochrome: [.reverse])
        case .modeReadOnly: Spec(foreground: "mode.readOnly.fg", background: "mode.readOnly.bg", attributes: [.bold])
        case .modeWrite: Spec(foreground: "mode.write.fg", background: "mode.write.bg", attributes: [.bold], monochrome: [.reverse])
        case .tableRow: Spec(foreground: "table.fg", background: "table.bg")
        case .tableCursor: Spec(foreground: "table.cursorFg", background: "table.cursorBg", monochrome: [.reverse])
        case .tableMark: Spec(foreground: "table.mark", backgroundFrom: .tableRow, attributes: [.bold])
        case .tableHeader: Spec(foreground: "table.header.fg", background: "table.header.bg", attributes: [.bold], monochrome: [.underline])
        case .tableSorter: Spec(foreground: "table.header.sorter", backgroundFrom: .tableHeader, attributes: [.bold], monochrome: [.underline])
        case .statusOK: Spec(foreground: "status.ok", backgroundFrom: .tableRow)
        case .statusWarn: Spec(foreground: "status.warn", backgroundFrom: .tableRow, monochrome: [.bold])
        case .statusCritical: Spec(foreground: "status.critical", backgroundFrom: .tableRow, attributes: [.bold], monochrome: [.bold, .underline])
        case .statusUnknown: Spec(foreground: "status.unknown", backgroundFrom: .tableRow, monochrome: [.dim])
        case .statusPending: Spec(foreground: "status.pending", backgroundFrom: .tableRow)
        case .latencyGood: Spec(foreground: "latency.good", backgroundFrom: .body)
        case .latencyWarn: Spec(foreground: "latency.warn", backgroundFrom: .body, monochrome: [.bold])
        case .latencyBad: Spec(foreground: "latency.bad", backgroundFrom: .body, attributes: [.bold], monochrome: [.reverse])
        case .gaugeOK: Spec(foreground: "charts.gauge.ok", backgroundFrom: .body)
        case .gaugeFault: Spec(foreground: "charts.gauge.fault", backgroundFrom: .body, monochrome: [.bold])
        case .tableMatch: Spec(foreground: "ui.title.highlight", backgroundFrom: .tableRow, attributes: [.bold, .underline], monochrome: [.reverse])
        }
    }
}
