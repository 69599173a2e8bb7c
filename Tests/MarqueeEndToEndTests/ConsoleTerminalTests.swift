import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

/// The real `marquee console` in a real terminal (tmux): keys in, screen text out.
@Suite(.serialized) struct ConsoleTerminalTests {
    private final class Fixture: Sendable {
        let directory: TemporaryDirectory
        let database: String
        let binary: String

        init() throws {
            directory = try TemporaryDirectory(prefix: "marquee-tmux")
            database = directory.file("fleet.db")
            let runner = try CommandRunner(environment: ["MARQUEE_DB": database])
            binary = runner.executable
            let generated = try runner.run(["fleet", "generate", "--output", "json"])
            guard generated.status == 0 else { throw CommandRunnerError.binaryNotFound([generated.stderr]) }
        }

        deinit { directory.remove() }

        func console(_ arguments: [String] = [], width: Int = 120, height: Int = 40, environment: [String: String] = [:]) throws
            -> TmuxSession
        {
            var base = [
                "MARQUEE_DB": database, "TERM": "xterm-256color", "HOME": directory.path, "XDG_STATE_HOME": directory.file("state"),
                "LANG": "C.UTF-8",
            ]
            base.merge(environment) { $1 }
            return try TmuxSession(command: [binary, "console"] + arguments, width: width, height: height, environment: base)
        }
    }

    private static let shared = Result { try Fixture() }

    @Test(arguments: [["TERM": "xterm-256color"], ["TERM": "xterm-256color", "NO_COLOR": "1"]])
    func drillsFromCountryToTheaterHostsAndQuitsCleanly(environment: [String: String]) async throws {
        try await Blocking.run {
            let fixture = try Self.shared.get()
            let session = try fixture.console(environment: environment)
            defer { session.close() }
            let start = try session.waitFor("Countries [30]")
            #expect(start.contains("READ-ONLY"))

            try session.send("Enter")
            try session.waitFor("Theaters in")
            try session.send("Enter")
            // The title and the rows can reach the terminal in separate writes: wait for both.
            let theater = try session.waitFor("Hosts of") { $0.contains("Hosts of") && $0.contains("-h3 ") }
            let siteID = try #require(theater.firstMatch(of: /Hosts of ([a-z]{2}-[a-z]{3}-\d{3})/)?.1)
            #expect(theater.contains("\(siteID)-h1") && theater.contains("\(siteID)-h3"))
            #expect(theater.contains("KERNEL") && theater.contains("RUNTIME"))

            try session.send("Escape")
            try session.waitFor("Theaters in")
            try session.send(":q", literal: true)
            try session.send("Enter")
            let after = try session.waitFor("EXIT=0")
            // The terminal is restored: the console's frame is gone from the screen
            #expect(!after.contains("MARQUEE"))
        }
    }

    @Test func aTerminationSignalStillRestoresTheTerminal() async throws {
        try await Blocking.run {
            let fixture = try Self.shared.get()
            let session = try fixture.console(width: 100, height: 30)
            defer { session.close() }
            try session.waitFor("Countries [30]")
            let killer = Process()
            killer.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
            killer.arguments = ["-TERM", "-f", "/marquee console$"]
            try killer.run()
            killer.waitUntilExit()
            let after = try session.waitFor("EXIT=143")
            #expect(!after.contains("MARQUEE"))
        }
    }

    @Test func renderOnceMatchesWhatTheTerminalShows() async throws {
        try await Blocking.run {
            let fixture = try Self.shared.get()
            let session = try fixture.console(["--view", "sites:SE"], width: 120, height: 40)
            defer { session.close() }
            _ = try session.waitFor("the loaded fleet") { $0.contains("Theaters in Sweden [") && !$0.contains("[0]") }
            let runner = try CommandRunner(environment: ["MARQUEE_DB": fixture.database])
            let frame = try runner.run(["console", "--render-once", "--size", "120x40", "--view", "sites:SE"])
            #expect(frame.status == 0)
            func normalised(_ text: String) -> [String] {
                text.split(separator: "\n", omittingEmptySubsequences: false).prefix(40).map {
                    String($0).replacing(/as of \d\d:\d\d:\d\d UTC/, with: "as of HH:MM:SS UTC")
                        .replacing(/\d+[smhd] ago/, with: "N ago")
                        .replacing(#/ +$/#, with: "")
                }
            }
            // The terminal may be mid-draw when the header first appears: wait for the whole frame
            // (a mismatch that never settles fails here, with the last screen in the error).
            let expected = normalised(frame.stdout)
            let screen = try session.waitFor("the frame --render-once printed") { normalised($0) == expected }
            #expect(normalised(screen) == expected)
            try session.send("C-c")
            try session.waitFor("EXIT=0")
        }
    }

    @Test func everyThemeRendersInTheTerminal() async throws {
        try await Blocking.run {
            let fixture = try Self.shared.get()
            for theme in ["default", "light", "high-contrast", "mono"] {
                let session = try fixture.console(["--theme", theme], width: 100, height: 30)
                defer { session.close() }
                let screen = try session.waitFor("Countries [30]")
                #expect(!screen.contains("using the default theme"), "\(theme)")
                try session.send("C-c")
                try session.waitFor("EXIT=0")
            }
        }
    }

    @Test func anInvalidThemeFallsBackWithAVisibleWarning() async throws {
        try await Blocking.run {
            let fixture = try Self.shared.get()
            let path = fixture.directory.file("bad-theme.yaml")
            try "table:\n  cursorBg: nope\n".write(toFile: path, atomically: true, encoding: .utf8)
            let session = try fixture.console(["--theme", path], width: 160, height: 30)
            defer { session.close() }
            let screen = try session.waitFor("using the default theme")
            #expect(screen.contains("bad-theme.yaml:2: 'table.cursorBg'"))
            try session.send("C-c")
            try session.waitFor("EXIT=0")
        }
    }

    @Test func resizingRelaysOutAndTooSmallSaysSo() async throws {
        try await Blocking.run {
            let fixture = try Self.shared.get()
            let session = try fixture.console(["--view", "hosts"], width: 120, height: 40)
            defer { session.close() }
            try session.waitFor("Hosts [2250]")
            try session.resize(width: 70, height: 20)
            try session.waitFor("Terminal too small: 70×20")
            try session.resize(width: 160, height: 50)
            let wide = try session.waitFor(timeout: .seconds(20), "a 160-column header") { screen in
                screen.split(separator: "\n").first.map { $0.hasSuffix("UTC") && $0.count > 140 } ?? false
            }
            #expect(wide.contains("LAST SEEN"))
            try session.send("C-c")
            try session.waitFor("EXIT=0")
        }
    }
}
