import CNcurses
import Foundation

/// Draws frames on a real terminal through ncursesw, sending only the cells that changed.
///
/// - Important: ncurses is not thread-safe. Create, use and stop this backend on one thread.
final class NcursesBackend {
    private var previous: ScreenBuffer?
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private(set) var depth: ColorDepth = .monochrome
    private let maxPairs: Int32
    private let terminalColors: Int
    private var started = false

    private struct PairKey: Hashable {
        var foreground: Int32
        var background: Int32
    }

    /// Starts curses on the terminal, or on `output` (a file) for benchmarks.
    init(output: UnsafeMutablePointer<FILE>? = nil, environment: [String: String]) throws {
        marquee_set_locale()
        marquee_install_restore_handlers()
        guard marquee_start(output, nil) == 0 else { throw ConsoleError.terminalUnavailable }
        started = true
        terminalColors = Int(marquee_colors())
        maxPairs = marquee_color_pairs()
        depth = ColorDepth.detect(environment: environment, terminalColors: terminalColors)
    }

    deinit {
        stop()
    }

    /// Restores the terminal.
    func stop() {
        if started {
            marquee_stop()
            started = false
        }
    }

    var size: (width: Int, height: Int) { (Int(marquee_cols()), Int(marquee_lines())) }

    /// Sends the cells that differ from the previous frame; returns how many runs were written.
    @discardableResult
    func present(_ buffer: ScreenBuffer) -> Int {
        let runs = buffer.changes(since: previous)
        for run in runs {
            let (attributes, pair) = curses(run.style)
            run.text.withCString { marquee_put(Int32(run.y), Int32(run.x), $0, attributes, pair) }
        }
        marquee_flush()
        previous = buffer
        return runs.count
    }

    /// Forgets the previous frame so the next one is drawn in full (after a resize).
    func invalidate() {
        previous = nil
        marquee_clear()
    }

    /// Every key waiting in the input queue (without blocking); a resize shows up as `nil` entries.
    func pendingKeys() -> [Key?] {
        var keys: [Key?] = []
        var value: UInt32 = 0
        while true {
            let kind = marquee_read_key(&value)
            if kind == 0 { break }
            if kind == 2 {
                if Int32(value) == marquee_key_resize() {
                    keys.append(nil)
                } else if let key = Self.functionKey(Int32(value)) {
                    keys.append(key)
                }
            } else if let key = Self.characterKey(value) {
                keys.append(key)
            }
        }
        return keys
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case marquee_key_up(): .up
        case marquee_key_down(): .down
        case marquee_key_left(): .left
        case marquee_key_right(): .right
        case marquee_key_npage(): .pageDown
        case marquee_key_ppage(): .pageUp
        case marquee_key_home(): .home
        case marquee_key_end(): .end
        case marquee_key_backspace(): .backspace
        case marquee_key_enter(): .enter
        case marquee_key_dc(): .delete
        case marquee_key_btab(): .backTab
        default: nil
        }
    }

    private static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 13, 10: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        case 28: return .ctrl("\\")
        case 1...26: return .ctrl(Character(Unicode.Scalar(value + 96)!))
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    private func curses(_ style: CellStyle) -> (UInt32, Int32) {
        var attributes: UInt32 = 0
        if style.attributes.contains(.bold) { attributes |= marquee_attr_bold() }
        if style.attributes.contains(.dim) { attributes |= marquee_attr_dim() }
        if style.attributes.contains(.underline) { attributes |= marquee_attr_underline() }
        if style.attributes.contains(.reverse) { attributes |= marquee_attr_reverse() }
        if style.attributes.contains(.italic) { attributes |= marquee_attr_italic() }
        guard depth != .monochrome else { return (attributes, 0) }
        let key = PairKey(foreground: colorNumber(style.foreground), background: colorNumber(style.background))
        if key.foreground == -1 && key.background == -1 { return (attributes, 0) }
        if let pair = pairs[key] { return (attributes, pair) }
        guard nextPair < maxPairs, marquee_init_pair(nextPair, key.foreground, key.background) == 0 else { return (attributes, 0) }
        pairs[key] = nextPair
        nextPair += 1
        return (attributes, nextPair - 1)
    }

    private func colorNumber(_ color: TerminalColor?) -> Int32 {
        switch color {
        case nil, .terminalDefault?: return -1
        case .ansi(let index)?: return Int32(terminalColors >= 16 ? index : index % 8)
        case .indexed(let index)?: return Int32(index)
        case .rgb(let r, let g, let b)?:
            if terminalColors >= 1 << 24 { return Int32(r) << 16 | Int32(g) << 8 | Int32(b) }
            return Int32(ColorDepth.nearest256(r, g, b))
        }
    }
}

/// Why the console could not run.
public enum ConsoleError: Error, CustomStringConvertible {
    case terminalUnavailable
    case notATerminal

    public var description: String {
        switch self {
        case .terminalUnavailable: "cannot start the terminal UI (is TERM set to a terminal type terminfo knows?)"
        case .notATerminal: "the console needs a terminal; use --render-once for a text frame"
        }
    }
}
