/// A key press, decoded from the terminal (or scripted in tests).
public enum Key: Hashable, Sendable {
    case character(Character)
    case ctrl(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, pageUp, pageDown, home, end

    /// Parses a compact key script for tests and `--keys`: characters stand for themselves;
    /// `<enter>`, `<esc>`, `<tab>`, `<bs>`, `<up>`, `<down>`, `<left>`, `<right>`, `<pgup>`, `<pgdn>`,
    /// `<home>`, `<end>`, `<space>`, `<c-c>` (any control letter) are special keys.
    public static func script(_ text: String) -> [Key] {
        var keys: [Key] = []
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "<", let close = text[index...].firstIndex(of: ">"), close > text.index(after: index) {
                let name = String(text[text.index(after: index)..<close]).lowercased()
                if let key = named(name) {
                    keys.append(key)
                    index = text.index(after: close)
                    continue
                }
            }
            keys.append(.character(text[index]))
            index = text.index(after: index)
        }
        return keys
    }

    private static func named(_ name: String) -> Key? {
        switch name {
        case "enter", "cr": return .enter
        case "esc", "escape": return .escape
        case "tab": return .tab
        case "s-tab": return .backTab
        case "bs", "backspace": return .backspace
        case "del": return .delete
        case "up": return .up
        case "down": return .down
        case "left": return .left
        case "right": return .right
        case "pgup": return .pageUp
        case "pgdn": return .pageDown
        case "home": return .home
        case "end": return .end
        case "space": return .character(" ")
        case "lt": return .character("<")
        case "gt": return .character(">")
        default:
            if name.hasPrefix("c-"), name.count == 3, let letter = name.last { return .ctrl(letter) }
            return nil
        }
    }

    /// How the key is written in help: `j`, `Enter`, `Ctrl-C`.
    public var label: String {
        switch self {
        case .character(" "): "Space"
        case .character(let character): String(character)
        case .ctrl(let character): "Ctrl-\(character.uppercased())"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        }
    }
}
