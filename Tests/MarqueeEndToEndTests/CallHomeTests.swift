import Foundation
import MarqueeTestSupport
import Testing

/// A real tower and three real `marquee agent` processes on loopback.
@Suite struct CallHomeTests {
    private struct HostList: Decodable {
        struct Host: Decodable {
            var id: String
            var status: String
            var kernelRelease: String
            var hostname: String
        }
        var items: [Host]
    }

    @Test func agentsEnrollHeartbeatAndAKilledOneGoesOffline() throws {
        let directory = try TemporaryDirectory(prefix: "marquee-callhome")
        defer { directory.remove() }
        let database = directory.file("fleet.db")
        let runner = try CommandRunner(environment: ["MARQUEE_DB": database])
        #expect(try runner.run(["fleet", "generate", "--theaters", "10", "--output", "json"]).status == 0)
        let sites = try runner.run(["sites", "--output", "json"]).stdout
        let site = try #require(sites.firstMatch(of: /"id" : "([a-z]{2}-[a-z]{3}-\d{3})"/).map { String($0.1) })

        let log = directory.file("tower.log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let tower = try start(
            runner.executable, ["tower", "--listen", "127.0.0.1:0", "--db", database, "--heartbeat-interval", "1", "--missed-heartbeats", "2"],
            log: log)
        defer { stop(tower) }
        let url = try waitFor("the tower's address", timeout: 30) {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").firstMatch(of: /listening on (http:\/\/127\.0\.0\.1:\d+)/).map {
                String($0.1)
            }
        }
        let cli = try CommandRunner(environment: ["MARQUEE_DB": database, "MARQUEE_TOWER": url])

        let created = try cli.run(["enroll-token", "create", "--site", site])
        #expect(created.status == 0)
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("mqe_"))
        #expect(!((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains(token))

        let agents = try (1...3).map { index in
            try start(
                runner.executable,
                ["agent", "--tower", url, "--enroll-token", token, "--data-dir", directory.file("agent\(index)"), "--hostname", "edge-\(index)"],
                log: directory.file("agent\(index).log"))
        }
        defer { agents.forEach(stop) }

        func hosts() throws -> [HostList.Host] {
            let outcome = try cli.run(["hosts", "--site", site, "--output", "json"])
            return try JSONDecoder().decode(HostList.self, from: Data(outcome.stdout.utf8)).items
        }
        let kernel = try String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let enrolled = try waitFor("three agents online", timeout: 60) { () -> [HostList.Host]? in
            let agentsHosts = try hosts().filter { $0.hostname.hasPrefix("edge-") && $0.status == "online" }
            return agentsHosts.count == 3 ? agentsHosts : nil
        }
        #expect(enrolled.allSatisfy { $0.kernelRelease == kernel })
        #expect(FileManager.default.fileExists(atPath: directory.file("agent1/credential")))
        let mode = try FileManager.default.attributesOfItem(atPath: directory.file("agent1/credential"))[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // Kill one agent: after two missed intervals its host is offline, with an event
        stop(agents[1])
        let killedID = try #require(enrolled.first { $0.hostname == "edge-2" }?.id)
        _ = try waitFor("edge-2 offline", timeout: 60) { try hosts().first { $0.id == killedID && $0.status == "offline" } }
        let others = try hosts().filter { $0.hostname == "edge-1" || $0.hostname == "edge-3" }
        #expect(others.allSatisfy { $0.status == "online" })
        let events = try cli.run(["site", "show", site])
        #expect(events.stdout.contains("host.offline") && events.stdout.contains(killedID))

        // A bad token is refused with a clear message and exit 2
        let refused = try runner.run(["agent", "--tower", url, "--enroll-token", "mqe_bogus", "--data-dir", directory.file("bogus")])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("the enrollment token is unknown or has expired"))
    }

    private func start(_ executable: String, _ arguments: [String], log: String) throws -> Process {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func stop(_ process: Process) {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Polls `probe` until it returns a value (this waits for a condition, not for time).
    private func waitFor<T>(_ what: String, timeout: Double, _ probe: () throws -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let value = try probe() { return value }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw CommandRunnerError.binaryNotFound(["timed out waiting for \(what)"])
    }
}
