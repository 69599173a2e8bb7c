/// A colour as a theme names it, before it is fitted to the terminal's colour depth.
public enum TerminalColor: Sendable, Hashable {
    /// The terminal's own default (transparent background).
    case terminalDefault
    /// One of the terminal's 16 palette colours (0–15); follows the user's terminal theme.
    case ansi(Int)
    /// An xterm 256-colour index (0–255).
    case indexed(Int)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    /// The colour as RGB, using the xterm defaults for palette entries.
    public var rgbValue: (UInt8, UInt8, UInt8)? {
        switch self {
        case .terminalDefault: return nil
        case .rgb(let r, let g, let b): return (r, g, b)
        case .ansi(let index): return Self.ansiRGB[max(0, min(15, index))]
        case .indexed(let index): return Self.rgbOfIndex(index)
        }
    }

    /// xterm's default 16-colour palette.
    static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    static func rgbOfIndex(_ index: Int) -> (UInt8, UInt8, UInt8) {
        switch index {
        case ..<16: return ansiRGB[max(0, index)]
        case 16..<232:
            let value = index - 16
            return (cubeLevels[value / 36], cubeLevels[(value / 6) % 6], cubeLevels[value % 6])
        default:
            let level = UInt8(8 + 10 * (min(index, 255) - 232))
            return (level, level, level)
        }
    }
}
