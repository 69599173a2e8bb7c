import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

/// The Upgrades view in a real terminal (tmux): the README's plan (`plans/runtime-se.yaml`) started
/// from the console's palette with its name typed, followed in the Upgrades view, paused there, and
/// seen paused by the CLI.
@Suite(.serialized) struct UpgradeConsoleTerminalTests {
    /// The plan the README starts from the console.
    static let planFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../plans/runtime-se.yaml")
        .standardized.path

    @Test func aPlanStartedFromTheConsoleIsFollowedAndPausedThere() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-tmux-upgrade")
            defer { directory.remove() }
            let database = directory.file("fleet.db")
            let runner = try CommandRunner(environment: ["MARQUEE_DB": database])
            #expect(try runner.run(["fleet", "generate", "--output", "json"]).status == 0)
            let planFile = Self.planFile

            let session = try TmuxSession(
                command: [runner.executable, "console", "--write"], width: 150, height: 40,
                environment: [
                    "MARQUEE_DB": database, "TERM": "xterm-256color", "HOME": directory.path, "XDG_STATE_HOME": directory.file("state"),
                    "LANG": "C.UTF-8",
                ])
            defer { session.close() }
            try session.waitFor("Countries [30]")

            // The palette reads the plan and asks for its name before starting it.
            try session.send(":upgrade start \(planFile)", literal: true)
            try session.send("Enter")
            try session.waitFor("Type containerd-2.0.1-se to confirm")
            try session.send("containerd-2.0.1-se", literal: true)
            try session.send("Enter")
            // The fleet header shows the plan in progress.
            try session.waitFor("upgrade containerd-2.0.1-se 0/")

            // The Upgrades view lists it running; Enter opens its theaters: Swedish only, canary first.
            try session.send("u")
            try session.waitFor("Upgrade plans") { $0.contains("Upgrade plans") && $0.contains("runtime 2.0.1") && $0.contains(" running ") }
            try session.send("Enter")
            // The title and the rows can reach the terminal in separate writes: wait for both.
            let detail = try session.waitFor("the plan's theaters") {
                $0.contains("containerd-2.0.1-se: runtime 2.0.1 · running") && $0.contains(" queued ")
            }
            let rows = detail.split(separator: "\n").filter { $0.contains("queued") }
            #expect(!rows.isEmpty && rows.allSatisfy { $0.hasPrefix("  se-") }, "\(detail)")
            #expect(rows.first?.contains("canary") == true, "\(detail)")

            // p asks (focus on Cancel), Tab moves to OK, Enter pauses it.
            try session.send("p")
            try session.waitFor("Pause containerd-2.0.1-se?")
            try session.send("Tab")
            try session.send("Enter")
            try session.waitFor("paused state") { $0.contains("containerd-2.0.1-se: runtime 2.0.1 · paused") }
            try session.send(":q", literal: true)
            try session.send("Enter")
            try session.waitFor("EXIT=0")

            let status = try runner.run(["upgrade", "status", "containerd-2.0.1-se", "--output", "json"])
            #expect(status.status == 0 && status.stdout.contains("\"state\" : \"paused\""), "\(status.stdout)\(status.stderr)")
        }
    }
}
