import Foundation
import MarqueeConsole
import MarqueeCore
import MarqueeTestSupport
import Testing

/// A console on the standard 750-theater test fleet at the fixed test time.
enum ConsoleFixture {
    static let fleet = Fixtures.fleet()

    /// One store for the whole suite: building it is the slow part of every test.
    private static let shared = Task {
        let store = try await Fixtures.store(with: fleet)
        return LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now })
    }

    static func api() async throws -> some FleetAPI {
        try await shared.value
    }

    static func state(view: ScreenKind = .countries, width: Int = 120, height: Int = 40, readOnly: Bool = true) async throws -> ConsoleState {
        try await ConsoleRenderer.state(api: api(), view: view, width: width, height: height, readOnly: readOnly, now: Fixtures.now)
    }

    static let mono = BuiltinThemes.standard.resolve(for: .monochrome)
    static let colour = BuiltinThemes.standard.resolve(for: .indexed256)

    static func text(_ state: ConsoleState) -> String {
        ConsoleView.render(state, theme: mono).text()
    }

    /// Feeds a key script (`Key.script`) and returns the effects.
    @discardableResult
    static func type(_ script: String, into state: inout ConsoleState) -> [ConsoleEffect] {
        ConsoleApp.run(&state, Key.script(script).map { .key($0) })
    }

    /// Compares `text` with `Snapshots/<name>.txt`; `MARQUEE_RECORD_SNAPSHOTS=1` rewrites the file.
    static func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
        let file = directory.appendingPathComponent("\(name).txt")
        let record = ProcessInfo.processInfo.environment["MARQUEE_RECORD_SNAPSHOTS"] == "1"
        if record || !FileManager.default.fileExists(atPath: file.path) {
            try (text + "\n").write(to: file, atomically: true, encoding: .utf8)
            if !record {
                Issue.record("recorded new snapshot \(name); check it in", sourceLocation: sourceLocation)
            }
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(
            text + "\n" == expected, "snapshot \(name) differs; rerun with MARQUEE_RECORD_SNAPSHOTS=1 if the change is intended",
            sourceLocation: sourceLocation)
    }
}
