/// Text attributes that survive every colour depth, including monochrome.
public struct TextAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let underline = TextAttributes(rawValue: 1 << 2)
    public static let reverse = TextAttributes(rawValue: 1 << 3)
    public static let italic = TextAttributes(rawValue: 1 << 4)
}

/// How one cell looks: colours already fitted to the terminal's depth, plus attributes.
public struct CellStyle: Sendable, Hashable {
    /// Foreground; `nil` is the terminal default.
    public var foreground: TerminalColor?
    /// Background; `nil` is the terminal default.
    public var background: TerminalColor?
    public var attributes: TextAttributes

    public init(foreground: TerminalColor? = nil, background: TerminalColor? = nil, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's default look.
    public static let plain = CellStyle()
}
