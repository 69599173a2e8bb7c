import Foundation
import MarqueeTestSupport
import Testing

/// The real `marquee tower` process on loopback, used by the real CLI with `--tower`.
@Suite struct TowerProcessTests {
    @Test func cliVerbsAndTheConsoleWorkAgainstARemoteTower() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-tower")
            defer { directory.remove() }
            let database = directory.file("fleet.db")
            let runner = try CommandRunner(environment: ["MARQUEE_DB": database])
            #expect(try runner.run(["fleet", "generate", "--theaters", "100", "--output", "json"]).status == 0)

            // Start the tower on a free port and read the port it reports
            let log = directory.file("tower.log")
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let tower = Process()
            tower.executableURL = URL(fileURLWithPath: runner.executable)
            tower.arguments = ["tower", "--listen", "127.0.0.1:0", "--db", database]
            tower.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            tower.standardError = FileHandle.nullDevice
            try tower.run()
            defer {
                if tower.isRunning { tower.terminate() }
                tower.waitUntilExit()
            }
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(30)
            var url: String?
            while url == nil, clock.now < deadline, tower.isRunning {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                url = text.firstMatch(of: /listening on (http:\/\/127\.0\.0\.1:\d+)/).map { String($0.1) }
                if url == nil { Thread.sleep(forTimeInterval: 0.05) }
            }
            let towerURL = try #require(url, "the tower did not report its address")
            let tokenFile = directory.file("admin.token")
            let attributes = try FileManager.default.attributesOfItem(atPath: tokenFile)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect(
                !((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains(
                    try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))

            // The same question, locally and through the tower, gets the same JSON
            let selector = "country in (US, DE) and screens >= 12"
            let local = try runner.run(["sites", "--select", selector, "--output", "json"])
            let remote = try runner.run(["sites", "--tower", towerURL, "--select", selector, "--output", "json"])
            #expect(remote.status == 0, "\(remote.stderr)")
            #expect(remote.stdout == local.stdout)

            let malformed = try runner.run(["sites", "--tower", towerURL, "--select", "screens >"])
            #expect(malformed.status == 2)
            #expect(malformed.stderr == "marquee: column 10: expected a number after '>', but the selector ends here\n")
            let badToken = try runner.run(["hosts", "--tower", towerURL, "--token", "wrong"])
            #expect(badToken.status == 2)
            #expect(badToken.stderr.contains("the token is not valid"))

            let frame = try runner.run(["console", "--tower", towerURL, "--render-once", "--size", "100x30", "--view", "hosts"])
            #expect(frame.status == 0)
            #expect(frame.stdout.contains("Hosts [300]"))

            tower.terminate()
            tower.waitUntilExit()
            #expect(tower.terminationReason == .exit)
            let unreachable = try runner.run(["sites", "--tower", towerURL])
            #expect(unreachable.status == 1)
            #expect(unreachable.stderr.contains("cannot reach the tower"))
        }
    }
}
