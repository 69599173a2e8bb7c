import Foundation
import MarqueeConsole
import MarqueeTestSupport
import Testing

@Suite struct ThemeTests {
    private static let themesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes").path

    @Test func shipsTheFourThemes() throws {
        #expect(Set(BuiltinThemes.names).isSuperset(of: ["default", "light", "high-contrast", "mono"]))
        for name in BuiltinThemes.names {
            let theme = try ThemeLoader.theme(name, environment: [:])
            #expect(theme.name == name)
            for depth in ColorDepth.allCases { _ = theme.resolve(for: depth) }
        }
        #expect(try ThemeLoader.theme("mono", environment: [:]).resolve(for: .truecolor).depth == .monochrome)
    }

    @Test func theBinaryCarriesTheRepositoryThemes() throws {
        // scripts/embed-themes keeps the compiled-in copies equal to themes/*.yaml
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesDirectory).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.map { String($0.dropLast(5)) } == BuiltinThemes.names)
        for file in files {
            let onDisk = try ThemeLoader.theme("\(Self.themesDirectory)/\(file)", environment: [:])
            #expect(onDisk == (try ThemeLoader.theme(String(file.dropLast(5)), environment: [:])), "run scripts/embed-themes")
        }
    }

    private func load(_ yaml: String) throws -> Theme {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("custom.yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return try ThemeLoader.theme(path, environment: [:])
    }

    @Test func unsetKeysInheritFromTheDefaultTheme() throws {
        let theme = try load("meta: { name: tiny }\ntable:\n  cursorBg: \"#ff0000\"\n")
        #expect(theme.name == "tiny")
        #expect(theme.colors["table.cursorBg"] == .rgb(255, 0, 0))
        #expect(theme.colors["ui.header.bg"] == BuiltinThemes.standard.colors["ui.header.bg"])
    }

    @Test func acceptsEveryColourForm() throws {
        let theme = try load(
            "palette:\n  a: &a \"ansi:3\"\nstatus:\n  ok: *a\n  warn: idx:208\n  critical: crimson\n  unknown: default\n  pending: \"#00FF7f\"\n")
        #expect(theme.colors["status.ok"] == .ansi(3))
        #expect(theme.colors["status.warn"] == .indexed(208))
        #expect(theme.colors["status.critical"] == .rgb(220, 20, 60))
        #expect(theme.colors["status.unknown"] == .terminalDefault)
        #expect(theme.colors["status.pending"] == .rgb(0, 255, 127))
    }

    @Test(arguments: [
        ("table:\n  cursorBG: red\n", "custom.yaml:2: unknown key 'table.cursorBG'; did you mean 'table.cursorBg'?"),
        (
            "ui:\n  header:\n    fg: notacolour\n",
            "custom.yaml:3: 'ui.header.fg': 'notacolour' is not a colour (use #rrggbb, a colour name, ansi:0-15, idx:0-255 or default)"
        ),
        (
            "status:\n  ok: \"ansi:16\"\n",
            "custom.yaml:2: 'status.ok': 'ansi:16' is not a colour (use #rrggbb, a colour name, ansi:0-15, idx:0-255 or default)"
        ),
        ("table: red\n", "custom.yaml:1: 'table' must be a mapping"),
        ("latency:\n  gradient: red\n", "custom.yaml:2: 'latency.gradient' must be a list of colours"),
        ("colours:\n  x: red\n", "custom.yaml:1: unknown key 'colours'"),
        ("ui: [\n", "custom.yaml:2: invalid YAML"),
    ])
    func invalidThemesNameTheFileLineAndKey(yaml: String, message: String) throws {
        #expect {
            _ = try load(yaml)
        } throws: { error in
            let text = "\(error)"
            return text.contains(message) || (message.hasSuffix("invalid YAML") && text.contains("invalid YAML"))
        }
    }

    @Test func anInvalidThemeFallsBackToDefaultWithAWarning() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("broken.yaml")
        try "table:\n  cursorBg: 12\n".write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = ThemeLoader.load(path, environment: [:])
        #expect(outcome.theme == BuiltinThemes.standard)
        #expect(outcome.warning?.contains("broken.yaml:2: 'table.cursorBg'") == true)
        #expect(outcome.warning?.hasPrefix("using the default theme: ") == true)
        #expect(ThemeLoader.load("no-such-theme", environment: [:]).warning?.contains("no theme 'no-such-theme'") == true)
    }

    @Test func findsUserThemesByNameAndFromTheEnvironment() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.createDirectory(atPath: directory.file("config/marquee/themes"), withIntermediateDirectories: true)
        try "meta: { name: cinema }\n".write(toFile: directory.file("config/marquee/themes/cinema.yaml"), atomically: true, encoding: .utf8)
        let environment = ["XDG_CONFIG_HOME": directory.file("config"), "MARQUEE_THEME": "cinema"]
        #expect(ThemeLoader.load(nil, environment: environment).theme.name == "cinema")
        #expect(ThemeLoader.load("light", environment: environment).theme.name == "light")
    }
}
