import Foundation
import MarqueeTestSupport
import Testing

/// `marquee demo --headless`: a tower and over 2,250 simulated hosts calling home over real HTTP,
/// then a rollout to every theater through the same agents.
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
            // Counted from the tower's start: 2,250 debug-build agents enrolling on a busy 2-core box take a while.
            let onlineDeadline = Date().addingTimeInterval(600)
            while Date() < onlineDeadline {
                let outcome = try cli.run(["hosts", "--status", "online", "--output", "json"])
                if outcome.status == 0, let match = outcome.stdout.firstMatch(of: /"count" : (\d+)/) { online = Int(match.1) ?? 0 }
                if online >= agents - pending { break }
                Thread.sleep(forTimeInterval: 0.5)
            }
            #expect(online == agents - pending)
            let total = try cli.run(["hosts", "--output", "json"])
            #expect(total.stdout.contains("\"count\" : 2310"))

            // A rollout to all 770 theaters: canary, then two waves; the simulated runtimes start the new version
            let spec = """
                apiVersion: marquee/v1
                kind: Application
                name: people-counter
                version: 2.5.0
                tenant: mtc-platform
                services:
                  - name: counter
                    containers:
                      - name: counter
                        image: registry.marquee.example/mtc-platform/people-counter:2.5.0
                        command: [people-counter, serve]
                        resources: {cpu: 250m, memory: 192Mi}
                ---
                apiVersion: marquee/v1
                kind: Deployment
                application: people-counter
                version: "*"
                placement:
                  match: has(screens)
                rollout:
                  canary: {sites: 5, healthy-for: 0s}
                  waves: {percent: 50}
                  healthy-for: 0s
                  deadline: 30m
                """
            let file = directory.file("people-counter.yaml")
            try spec.write(toFile: file, atomically: true, encoding: .utf8)
            let applied = try cli.run(["apply", "-f", file])
            #expect(applied.status == 0 && applied.stdout.contains("people-counter-2.5.0"), "\(applied.stderr)")
            struct Rollout: Decodable {
                var state: String
                var reason: String?
                var sites: [String: Site]
                struct Site: Decodable {
                    var phase: String
                    var reason: String?
                }
            }
            var rollout: Rollout?
            // A busy CI box runs the simulated fleet several times slower than a laptop (each wave waits for
            // three heartbeats: created, starting, running, and a starved debug-build tower answers some
            // agents late for minutes), so the spec's deadline is a generous 30m and the wait lasts as
            // long as sites keep moving; a rollout whose sites all stay in their phases for 31 minutes
            // (longer than that deadline) ends it.
            var phaseCounts: [String: Int] = [:]
            var lastProgress = Date()
            let rolloutDeadline = Date().addingTimeInterval(2_400)
            while Date() < rolloutDeadline, Date().timeIntervalSince(lastProgress) < 1_860 {
                let outcome = try cli.run(["rollout", "status", "people-counter-2.5.0", "--output", "json"])
                rollout = try? JSONDecoder().decode(Rollout.self, from: Data(outcome.stdout.utf8))
                if let state = rollout?.state, ["completed", "halted"].contains(state) { break }
                let counts = Dictionary(grouping: rollout?.sites.values.map(\.phase) ?? [], by: { $0 }).mapValues(\.count)
                if counts != phaseCounts { (phaseCounts, lastProgress) = (counts, Date()) }
                Thread.sleep(forTimeInterval: 1)
            }
            let finished = try #require(rollout)
            let unsettled = finished.sites.filter { $0.value.phase != "succeeded" }.sorted { $0.key < $1.key }.prefix(10)
                .map { "\($0.key): \($0.value.phase) \($0.value.reason ?? "")" }
            #expect(finished.state == "completed", "\(finished.reason ?? "") \(unsettled)")
            #expect(finished.sites.count == 770)
            let phases = Dictionary(grouping: finished.sites.values, by: \.phase).mapValues(\.count)
            // Theaters with no host online stay pending, never failed.
            #expect(phases["succeeded", default: 0] + phases["offline", default: 0] == 770, "\(phases)")
            #expect(phases["succeeded", default: 0] > 740)
        }
    }
}
