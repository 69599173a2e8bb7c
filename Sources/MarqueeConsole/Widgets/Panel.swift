import MarqueeCore

/// Boxes for overlays (help, dialogs, suggestions).
enum Panel {
    /// Draws a bordered box with a title and returns its inner rectangle (x, y, width, height).
    @discardableResult
    static func box(
        into buffer: inout ScreenBuffer, x: Int, y: Int, width: Int, height: Int, title: String, style: CellStyle, border: CellStyle
    ) -> (x: Int, y: Int, width: Int, height: Int) {
        guard width >= 4, height >= 3 else { return (x, y, 0, 0) }
        buffer.fill(x: x, y: y, width: width, height: height, style: style)
        buffer.write("┌" + String(repeating: "─", count: width - 2) + "┐", x: x, y: y, style: border)
        for row in 1..<(height - 1) {
            buffer.write("│", x: x, y: y + row, style: border)
            buffer.write("│", x: x + width - 1, y: y + row, style: border)
        }
        buffer.write("└" + String(repeating: "─", count: width - 2) + "┘", x: x, y: y + height - 1, style: border)
        if !title.isEmpty { buffer.write(" \(title) ", x: x + 2, y: y, style: border, maxWidth: width - 4) }
        return (x + 2, y + 1, width - 4, height - 2)
    }
}

/// A confirmation dialog: a question, a target to type for dangerous actions, and Cancel/OK with focus on Cancel.
public struct Dialog: Sendable, Hashable {
    public var title: String
    public var message: [String]
    /// For dangerous actions, the text the operator must type (e.g. the site id) before OK works.
    public var typedConfirmation: String?
    public var typed = ""
    /// Focus starts on Cancel.
    public var focusOnConfirm = false
    public var dangerous: Bool

    public init(title: String, message: [String], typedConfirmation: String? = nil, dangerous: Bool) {
        self.title = title
        self.message = message
        self.typedConfirmation = typedConfirmation
        self.dangerous = dangerous
    }

    /// Whether OK is allowed now.
    public var canConfirm: Bool { typedConfirmation.map { typed == $0 } ?? true }

    /// Draws the dialog centred over `buffer`.
    public func draw(into buffer: inout ScreenBuffer, theme: ResolvedTheme) {
        let width = min(buffer.width - 4, max(44, (message.map(\.displayWidth).max() ?? 0) + 6))
        let height = message.count + (typedConfirmation == nil ? 5 : 7)
        let x = (buffer.width - width) / 2
        let y = max(1, (buffer.height - height) / 2)
        let inner = Panel.box(
            into: &buffer, x: x, y: y, width: width, height: height, title: title, style: theme[.dialog],
            border: theme[dangerous ? .dialogDanger : .borderFocus])
        for (index, line) in message.enumerated() {
            buffer.write(line, x: inner.x, y: inner.y + index, style: theme[.dialog], maxWidth: inner.width)
        }
        var row = inner.y + message.count + 1
        if let target = typedConfirmation {
            buffer.write("Type \(target) to confirm:", x: inner.x, y: row, style: theme[.dialog], maxWidth: inner.width)
            buffer.write((typed + "▏").padded(toWidth: inner.width), x: inner.x, y: row + 1, style: theme[.prompt])
            row += 3
        }
        let cancel = " Cancel "
        let confirm = dangerous ? " Confirm " : " OK "
        buffer.write(cancel, x: inner.x, y: row, style: theme[focusOnConfirm ? .dialogButton : .dialogButtonFocus])
        let confirmStyle: StyleRole = focusOnConfirm ? (dangerous ? .dialogDanger : .dialogButtonFocus) : .dialogButton
        buffer.write(confirm, x: inner.x + cancel.count + 2, y: row, style: theme[canConfirm ? confirmStyle : .statusUnknown])
    }
}
