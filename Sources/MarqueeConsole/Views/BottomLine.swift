import MarqueeCore

/// The last line: key hints, or the `:`/`/` prompt with suggestions, or a flash message.
enum BottomLine {
    static func draw(_ state: ConsoleState, into buffer: inout ScreenBuffer, theme: ResolvedTheme) {
        let y = buffer.height - 1
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: theme[.body])
        switch state.mode {
        case .command(let text):
            let suggestions = CommandPalette.suggestions(for: text, data: state.data)
            drawSuggestions(suggestions, above: y, into: &buffer, theme: theme)
            buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: theme[.prompt])
            let x = buffer.write(":" + text, x: 0, y: y, style: theme[.prompt])
            buffer.write("▏", x: x, y: y, style: theme[.prompt])
            if let first = suggestions.first, first.completion.lowercased().hasPrefix(text.lowercased()), first.completion.count > text.count {
                buffer.write(String(first.completion.dropFirst(text.count)) + "  (Tab)", x: x + 1, y: y, style: theme[.promptSuggest])
            }
        case .filter(let text, _):
            buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: theme[.prompt])
            let x = buffer.write("/" + text, x: 0, y: y, style: theme[.prompt])
            buffer.write("▏", x: x, y: y, style: theme[.prompt])
            let hint = state.table.filterError.map { "  \($0)" } ?? "  Enter keeps · Esc cancels"
            buffer.write(hint, x: x + 1, y: y, style: theme[state.table.filterError == nil ? .promptSuggest : .flashError])
        case .confirm(let dialog, _) where state.flash == nil:
            var x = 0
            for (key, name) in [("Tab", "Cancel/OK"), ("Enter", "choose"), ("Esc", "cancel")] {
                x += buffer.write("<\(key)>", x: x, y: y, style: theme[.menuKey])
                x += buffer.write(" \(name)  ", x: x, y: y, style: theme[.menu])
            }
            if let target = dialog.typedConfirmation, !dialog.canConfirm {
                buffer.write("type \(target) first", x: x, y: y, style: theme[.flashWarn])
            }
        default:
            if let warning = state.themeWarning {
                buffer.write(warning, x: 0, y: y, style: theme[.flashWarn])
            } else if let flash = state.flash {
                let role: StyleRole =
                    switch flash.level {
                    case .info: .flashInfo
                    case .warning: .flashWarn
                    case .error: .flashError
                    }
                buffer.write(flash.text, x: 0, y: y, style: theme[role])
            } else {
                var x = 0
                for binding in KeyBindings.active(readOnly: state.readOnly) where binding.hint {
                    x += buffer.write("<\(binding.keys[0].label)>", x: x, y: y, style: theme[.menuKey])
                    x += buffer.write(" \(hintName(binding.action))  ", x: x, y: y, style: theme[.menu])
                }
            }
        }
    }

    private static func hintName(_ action: ConsoleAction) -> String {
        switch action {
        case .open: "open"
        case .back: "back"
        case .command: "command"
        case .filter: "filter"
        case .help: "help"
        case .quit: "quit"
        case .approve: "approve"
        case .reject: "reject"
        default: "\(action)"
        }
    }

    private static func drawSuggestions(
        _ suggestions: [(completion: String, help: String)], above y: Int, into buffer: inout ScreenBuffer, theme: ResolvedTheme
    ) {
        guard !suggestions.isEmpty else { return }
        let width = min(buffer.width, max(30, suggestions.map { $0.completion.displayWidth + $0.help.displayWidth + 4 }.max() ?? 30))
        for (index, suggestion) in suggestions.reversed().enumerated() {
            let row = y - 1 - index
            buffer.fill(x: 0, y: row, width: width, height: 1, style: theme[.dialog])
            let x = buffer.write(" \(suggestion.completion)", x: 0, y: row, style: theme[index == suggestions.count - 1 ? .helpKey : .dialog])
            buffer.write("  \(suggestion.help)", x: x, y: row, style: theme[.promptSuggest], maxWidth: width - x)
        }
    }
}
