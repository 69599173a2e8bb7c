import Foundation
import MarqueeTestSupport
import Testing

/// `marquee demo --headless`: a tower and over 2,250 simulated hosts calling home over real HTTP.
@Suite struct DemoTests {
    @Test func theSimulatedFleetCallsHomeThroughTheTower() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-demo")
            defer { directory.remove() }
            let runner = try CommandRunner(environment: ["XDG_STATE_HOME": directory.file("state")])
            let log = directory.file("demo.log")
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let demo = Process()
            demo.executableURL = URL(fileURLWithPath: runner.executable)
            // Heartbeats every 30 s keep this debug-build demo from starving the tests running beside it.
            demo.arguments = ["demo", "--headless", "--theaters", "770", "--heartbeat-seconds", "30", "--data-dir", directory.file("demo")]
            demo.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            demo.standardError = FileHandle.nullDevice
            try demo.run()
            defer {
                if demo.isRunning { demo.terminate() }
                demo.waitUntilExit()
            }

            var url: String?
            var agents = 0
            let deadline = Date().addingTimeInterval(300)
            while url == nil, Date() < deadline, demo.isRunning {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if let match = text.firstMatch(of: /Tower: (http:\/\/127\.0\.0\.1:\d+)/) { url = String(match.1) }
                if let match = text.firstMatch(of: /Simulating (\d+) agents of 770 theaters/) { agents = Int(match.1) ?? 0 }
                if url == nil { Thread.sleep(forTimeInterval: 0.1) }
            }
            let tower = try #require(url, "the demo did not print its tower URL")
            #expect(agents >= 2_250)

            // Every simulated agent enrolls and heartbeats: the tower reports them all online
            let cli = try CommandRunner(environment: ["MARQUEE_TOWER": tower, "MARQUEE_TOKEN_FILE": directory.file("demo/admin.token")])
            // (pending hosts call home too, but wait for an operator's approval)
            let pendingList = try cli.run(["hosts", "--status", "pending", "--output", "json"]).stdout
            let pending = try #require(pendingList.firstMatch(of: /"count" : (\d+)/).flatMap { Int($0.1) })
            #expect(pending > 0)
            var online = 0
            while Date() < deadline {
                let outcome = try cli.run(["hosts", "--status", "online", "--output", "json"])
                if outcome.status == 0, let match = outcome.stdout.firstMatch(of: /"count" : (\d+)/) { online = Int(match.1) ?? 0 }
                if online >= agents - pending { break }
                Thread.sleep(forTimeInterval: 0.5)
            }
            #expect(online == agents - pending)
            let total = try cli.run(["hosts", "--output", "json"])
            #expect(total.stdout.contains("\"count\" : 2310"))
        }
    }
}
