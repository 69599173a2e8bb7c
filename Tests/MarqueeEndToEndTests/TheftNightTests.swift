import Foundation
import MarqueeTestSupport
import Testing

/// `marquee demo --write --scenario stolen-hardware` in a real terminal: two hosts of a theater
/// vanish, the tower raises the alert, and the on-call path — `e`, `Enter`, `Ctrl-L`, the typed
/// id, `Enter` — locks the theater down; the database then says so, with an audit record.
@Suite struct TheftNightTests {
    @Test func theOnCallPathLocksTheRobbedTheaterDown() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-theft")
            defer { directory.remove() }
            let runner = try CommandRunner(environment: [:])
            let data = directory.file("demo")
            let session = try TmuxSession(
                command: [
                    runner.executable, "demo", "--write", "--scenario", "stolen-hardware", "--theaters", "30", "--heartbeat-seconds", "2",
                    "--missed-heartbeats", "4",
                    "--data-dir", data,
                ],
                width: 160, height: 45,
                environment: [
                    "TERM": "xterm-256color", "HOME": directory.path, "XDG_STATE_HOME": directory.file("state"), "LANG": "C.UTF-8", "NO_COLOR": "1",
                ])
            defer { session.close() }
            try session.waitFor("Countries [", timeout: .seconds(180))

            // The alert. (A key typed while the console sets up its terminal can be lost: press again
            // until the view changes.)
            for attempt in 1...10 {
                try session.send("e")
                if (try? session.waitFor("› Events", timeout: .seconds(10))) != nil { break }
                #expect(attempt < 10, "the console never opened its events view")
            }
            let alert = "stopped calling home together"
            let firstRow: @Sendable (String) -> Substring? = { screen in
                screen.split(separator: "\n").first { $0.contains(/^\s+20\d\d-\d\d-\d\d \d\d:\d\d:\d\d/) }
            }
            var events = try session.waitFor(timeout: .seconds(180), "the hosts_vanished alert") { $0.contains(alert) }
            if !(firstRow(events)?.contains(alert) ?? false) {
                // Newer events came after it (a loaded box makes other hosts miss heartbeats too):
                // `S` sorts the most severe first, which is one more key on the on-call path.
                try session.send("S")
                events = try session.waitFor(timeout: .seconds(60), "the alert on top once sorted by severity") { screen in
                    firstRow(screen)?.contains(alert) ?? false
                }
            }
            let siteID = try #require(events.firstMatch(of: /hosts of ([a-z]{2}-[a-z]{3}-\d{3}) stopped/).map { String($0.1) })

            try session.send("Enter")
            // Generous waits: on a loaded CI box the debug-build demo shares two cores with the other suites.
            try session.waitFor("Hosts of \(siteID)", timeout: .seconds(90))
            try session.send("C-l")
            try session.waitFor("Lock down \(siteID)?", timeout: .seconds(90))
            try session.send(siteID, literal: true)
            try session.send("Enter")
            // The flash comes first, then the refreshed data: the header, then the theater's status.
            try session.waitFor("LOCKED: \(siteID)", timeout: .seconds(120))
            try session.waitFor(timeout: .seconds(120), "the theater's LOCKED DOWN status") { screen in
                screen.split(separator: "\n").contains { $0.contains("Status") && $0.contains("LOCKED DOWN") }
            }

            // The tower's database agrees: locked, its enrollment tokens gone, an audit record.
            let cli = try CommandRunner(environment: ["MARQUEE_DB": "\(data)/demo.db"])
            let site = try cli.run(["site", "show", siteID, "--output", "json"]).stdout
            #expect(site.contains("\"lockedDown\""))
            let audit = try cli.run(["audit", "--output", "json"]).stdout
            #expect(audit.contains("\"site.lockdown\"") && audit.contains(siteID))
            #expect(try cli.run(["audit", "verify"]).status == 0)
            try session.send(":q", literal: true)
            try session.send("Enter")
        }
    }
}
