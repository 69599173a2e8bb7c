import MarqueeCore

/// The `?` overlay, generated from the key map (never hand-written).
enum HelpPanel {
    static func lines(readOnly: Bool) -> [(key: String, help: String, section: Bool)] {
        var lines: [(String, String, Bool)] = []
        var group = ""
        for binding in KeyBindings.active(readOnly: readOnly) {
            if binding.group != group {
                group = binding.group
                lines.append((group, "", true))
            }
            lines.append((binding.label, binding.help, false))
        }
        lines.append(("Sorting", "", true))
        lines.append(("Shift+letter", "Sort by the column with that letter (again: reverse)", false))
        lines.append(("Mode", "", true))
        lines.append((readOnly ? "read-only" : "write", readOnly ? "Start with --write to arm actions" : "Actions are armed", false))
        return lines
    }

    static func draw(_ state: ConsoleState, into buffer: inout ScreenBuffer, theme: ResolvedTheme) {
        let content = lines(readOnly: state.readOnly)
        let width = min(buffer.width - 4, 76)
        let height = min(buffer.height - 2, content.count + 3)
        let x = (buffer.width - width) / 2
        let y = max(1, (buffer.height - height) / 2)
        let inner = Panel.box(
            into: &buffer, x: x, y: y, width: width, height: height, title: "Help — any key closes", style: theme[.help],
            border: theme[.borderFocus])
        for (index, line) in content.prefix(inner.height).enumerated() {
            let row = inner.y + index
            if line.section {
                buffer.write(line.key, x: inner.x, y: row, style: theme[.helpSection])
            } else {
                buffer.write(line.key.padded(toWidth: 14), x: inner.x, y: row, style: theme[.helpKey])
                buffer.write(line.help, x: inner.x + 15, y: row, style: theme[.help], maxWidth: inner.width - 15)
            }
        }
    }
}
