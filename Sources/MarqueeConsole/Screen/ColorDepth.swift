/// How many colours the terminal can show; themes degrade to it.
public enum ColorDepth: String, Sendable, CaseIterable, Comparable {
    /// No colour: only attributes (bold, reverse, underline, dim).
    case monochrome = "mono"
    /// The 16 ANSI palette colours.
    case ansi16 = "16"
    /// The xterm 256-colour palette.
    case indexed256 = "256"
    /// 24-bit RGB.
    case truecolor

    private var rank: Int {
        switch self {
        case .monochrome: 0
        case .ansi16: 1
        case .indexed256: 2
        case .truecolor: 3
        }
    }

    public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rank < rhs.rank }

    /// Detects the depth from the environment and the terminal's reported colour count.
    ///
    /// `NO_COLOR` (any non-empty value) forces monochrome; `COLORTERM=truecolor|24bit` asks for
    /// truecolor, which is kept only when the terminal itself can show it (`terminalColors` ≥ 2^24);
    /// otherwise the terminfo colour count decides.
    public static func detect(environment: [String: String], terminalColors: Int) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        let wantsTruecolor = ["truecolor", "24bit"].contains(environment["COLORTERM"]?.lowercased() ?? "")
        if terminalColors >= 1 << 24 { return .truecolor }
        if terminalColors >= 256 { return wantsTruecolor ? .indexed256 : .indexed256 }
        if terminalColors >= 8 { return .ansi16 }
        return .monochrome
    }

    /// Fits `color` to this depth: truecolor → nearest 256 → nearest 16 → none.
    public func fit(_ color: TerminalColor) -> TerminalColor? {
        switch (self, color) {
        case (.monochrome, _): return nil
        case (_, .terminalDefault): return .terminalDefault
        case (.truecolor, _): return color
        case (.indexed256, .rgb(let r, let g, let b)): return .indexed(Self.nearest256(r, g, b))
        case (.indexed256, _): return color
        case (.ansi16, .ansi(let index)): return .ansi(index)
        case (.ansi16, .indexed(let index)) where index < 16: return .ansi(index)
        case (.ansi16, _):
            guard let (r, g, b) = color.rgbValue else { return .terminalDefault }
            return .ansi(Self.nearest16(r, g, b))
        }
    }

    /// The nearest xterm-256 index (colour cube or grey ramp) to an RGB colour.
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        func cubeIndex(_ value: UInt8) -> Int {
            value < 48 ? 0 : value < 115 ? 1 : (Int(value) - 35) / 40
        }
        let (ri, gi, bi) = (cubeIndex(r), cubeIndex(g), cubeIndex(b))
        let cube = 16 + 36 * ri + 6 * gi + bi
        let cubeColor = TerminalColor.rgbOfIndex(cube)
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyIndex = average > 238 ? 23 : max(0, (average - 3) / 10)
        let grey = 232 + greyIndex
        let greyColor = TerminalColor.rgbOfIndex(grey)
        return distance((r, g, b), greyColor) < distance((r, g, b), cubeColor) ? grey : cube
    }

    /// The nearest of the 16 ANSI colours to an RGB colour.
    static func nearest16(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        var best = 0
        var bestDistance = Int.max
        for (index, candidate) in TerminalColor.ansiRGB.enumerated() {
            let d = distance((r, g, b), candidate)
            if d < bestDistance {
                best = index
                bestDistance = d
            }
        }
        return best
    }

    private static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0)
        let dg = Int(a.1) - Int(b.1)
        let db = Int(a.2) - Int(b.2)
        // Weighted for the eye's sensitivity (green most, blue least).
        return 3 * dr * dr + 4 * dg * dg + 2 * db * db
    }
}
