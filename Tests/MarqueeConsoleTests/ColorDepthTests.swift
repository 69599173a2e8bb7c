import MarqueeConsole
import Testing

@Suite struct ColorDepthTests {
    @Test func detectsDepthFromEnvironmentAndTerminal() {
        #expect(ColorDepth.detect(environment: ["NO_COLOR": "1"], terminalColors: 256) == .monochrome)
        #expect(ColorDepth.detect(environment: ["NO_COLOR": ""], terminalColors: 256) == .indexed256)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], terminalColors: 1 << 24) == .truecolor)
        // COLORTERM asks for truecolor, but a 256-colour terminfo entry cannot draw it
        #expect(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], terminalColors: 256) == .indexed256)
        #expect(ColorDepth.detect(environment: [:], terminalColors: 8) == .ansi16)
        #expect(ColorDepth.detect(environment: [:], terminalColors: 0) == .monochrome)
    }

    @Test(arguments: [
        (TerminalColor.rgb(255, 0, 0), TerminalColor.indexed(196), TerminalColor.ansi(9)),
        (.rgb(0, 0, 0), .indexed(16), .ansi(0)),
        (.rgb(255, 255, 255), .indexed(231), .ansi(15)),
        (.rgb(128, 128, 128), .indexed(244), .ansi(8)),
        (.rgb(30, 144, 255), .indexed(33), .ansi(12)),
        (.indexed(196), .indexed(196), .ansi(9)),
        (.ansi(4), .ansi(4), .ansi(4)),
        (.terminalDefault, .terminalDefault, .terminalDefault),
    ])
    func degradesTruecolorTo256To16ToNothing(color: TerminalColor, in256: TerminalColor, in16: TerminalColor) {
        #expect(ColorDepth.truecolor.fit(color) == color)
        #expect(ColorDepth.indexed256.fit(color) == in256)
        #expect(ColorDepth.ansi16.fit(color) == in16)
        #expect(ColorDepth.monochrome.fit(color) == nil)
    }

    @Test func monochromeKeepsMeaningInAttributes() {
        let mono = BuiltinThemes.standard.resolve(for: .monochrome)
        #expect(mono[.tableCursor].attributes.contains(.reverse))
        #expect(mono[.tableCursor].foreground == nil && mono[.tableCursor].background == nil)
        #expect(mono[.statusCritical].attributes.contains(.bold))
        #expect(mono[.modeWrite].attributes.contains(.reverse))
        let colour = BuiltinThemes.standard.resolve(for: .indexed256)
        #expect(!colour[.tableCursor].attributes.contains(.reverse))
        #expect(colour[.tableCursor].background != nil)
    }
}
