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

    @Test func agentsEnrollHeartbeatAndAKilledOneGoesOffline() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-callhome")
            defer { directory.remove() }
            let database = directory.file("fleet.db")
            let runner = try CommandRunner(environment: ["MARQUEE_DB": database])
            #expect(try runner.run(["fleet", "generate", "--theaters", "10", "--output", "json"]).status == 0)
            let sites = try runner.run(["sites", "--output", "json"]).stdout
            let site = try #require(sites.firstMatch(of: /"id" : "([a-z]{2}-[a-z]{3}-\d{3})"/).map { String($0.1) })

            let log = directory.file("tower.log")
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            let (tower, url) = try TestProcesses.startTower(
                // Five missed intervals, not two: the tower holds its judgement while its sweep runs
                // late or heartbeats wait in its queue (`ListeningWindow`), by up to a silence less
                // one interval: 1 s with two, 4 s with five. On a CI machine running every suite at
                // once, the killed agent's host once stayed online for the whole 60 s wait with two.
                runner.executable, ["tower", "--listen", "127.0.0.1:0", "--db", database, "--heartbeat-interval", "1", "--missed-heartbeats", "5"],
                log: log)
            defer { TestProcesses.stop(tower) }
            let cli = try CommandRunner(environment: ["MARQUEE_DB": database, "MARQUEE_TOWER": url])

            let created = try cli.run(["enroll-token", "create", "--site", site])
            #expect(created.status == 0)
            let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(token.hasPrefix("mqe_"))
            #expect(!((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains(token))

            let agents = try (1...3).map { index in
                try TestProcesses.start(
                    runner.executable,
                    [
                        "agent", "--no-tenant-networks", "--tower", url, "--enroll-token", token, "--data-dir", directory.file("agent\(index)"),
                        "--hostname", "edge-\(index)",
                    ],
                    log: directory.file("agent\(index).log"))
            }
            defer { agents.forEach(TestProcesses.stop) }

            func hosts() throws -> [HostList.Host] {
                let outcome = try cli.run(["hosts", "--site", site, "--output", "json"])
                return try JSONDecoder().decode(HostList.self, from: Data(outcome.stdout.utf8)).items
            }
            let kernel = try String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let enrolled = try TestProcesses.waitFor("three agents online", timeout: 60) { () -> [HostList.Host]? in
                let agentsHosts = try hosts().filter { $0.hostname.hasPrefix("edge-") && $0.status == "online" }
                return agentsHosts.count == 3 ? agentsHosts : nil
            }
            #expect(enrolled.allSatisfy { $0.kernelRelease == kernel })
            #expect(FileManager.default.fileExists(atPath: directory.file("agent1/credential")))
            let mode = try FileManager.default.attributesOfItem(atPath: directory.file("agent1/credential"))[.posixPermissions] as? Int
            #expect(mode == 0o600)

            // Kill one agent: after five missed intervals its host is offline, with an event
            TestProcesses.stop(agents[1])
            let killedID = try #require(enrolled.first { $0.hostname == "edge-2" }?.id)
            _ = try TestProcesses.waitFor("edge-2 offline", timeout: 60) { try hosts().first { $0.id == killedID && $0.status == "offline" } }
            let others = try hosts().filter { $0.hostname == "edge-1" || $0.hostname == "edge-3" }
            #expect(others.allSatisfy { $0.status == "online" })
            let events = try cli.run(["site", "show", site])
            #expect(events.stdout.contains("host.offline") && events.stdout.contains(killedID))

            // A bad token is refused with a clear message and exit 2
            let refused = try runner.run([
                "agent", "--no-tenant-networks", "--tower", url, "--enroll-token", "mqe_bogus", "--data-dir", directory.file("bogus"),
            ])
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("the enrollment token is unknown or has expired"))
        }
    }

    private struct OutboxStatus: Decodable {
        var lastSequence: Int
        var acknowledged: Int
        var pending: Int
        var dropped: Int
    }

    private struct HostReports: Decodable {
        struct Cursor: Decodable {
            var lastSequence: Int
            var batches: Int
            var records: Int
            var duplicates: Int
            var missing: Int
        }
        var reports: Cursor?
    }

    @Test func stoppingTheTowerWhileAgentsReportLosesAndDuplicatesNothing() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-outbox-e2e")
            defer { directory.remove() }
            let database = directory.file("fleet.db")
            let runner = try CommandRunner(environment: ["MARQUEE_DB": database])
            #expect(try runner.run(["fleet", "generate", "--theaters", "5", "--output", "json"]).status == 0)
            let sites = try runner.run(["sites", "--output", "json"]).stdout
            let site = try #require(sites.firstMatch(of: /"id" : "([a-z]{2}-[a-z]{3}-\d{3})"/).map { String($0.1) })

            let towerArguments = ["tower", "--db", database, "--heartbeat-interval", "1", "--missed-heartbeats", "30"]
            let log = directory.file("tower.log")
            let started = try TestProcesses.startTower(runner.executable, towerArguments + ["--listen", "127.0.0.1:0"], log: log)
            var tower = started.0
            let url = started.1
            defer { TestProcesses.stop(tower) }
            let port = try #require(url.split(separator: ":").last.map(String.init))
            let cli = try CommandRunner(environment: ["MARQUEE_DB": database, "MARQUEE_TOWER": url])
            let token = try cli.run(["enroll-token", "create", "--site", site]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

            let agentDirectories = (1...3).map { directory.file("agent\($0)") }
            let agents = try agentDirectories.enumerated().map { index, data in
                try TestProcesses.start(
                    runner.executable,
                    [
                        "agent", "--no-tenant-networks", "--tower", url, "--enroll-token", token, "--data-dir", data, "--hostname",
                        "edge-\(index + 1)", "--log-sources",
                        "none",
                    ],
                    log: directory.file("agent\(index + 1).log"))
            }
            defer { agents.forEach(TestProcesses.stop) }
            func outboxes() throws -> [OutboxStatus]? {
                var statuses: [OutboxStatus] = []
                for data in agentDirectories {
                    let outcome = try runner.run(["agent", "status", "--data-dir", data, "--output", "json"])
                    guard outcome.status == 0 else { return nil }
                    statuses.append(try JSONDecoder().decode(OutboxStatus.self, from: Data(outcome.stdout.utf8)))
                }
                return statuses
            }

            _ = try TestProcesses.waitFor("every agent's first reports acknowledged", timeout: 60) {
                try outboxes().flatMap { $0.allSatisfy { $0.acknowledged >= 2 } ? $0 : nil }
            }
            // The tower goes away; the agents keep reporting into their outboxes
            TestProcesses.stop(tower)
            let held = try TestProcesses.waitFor("reports held in every outbox", timeout: 60) {
                try outboxes().flatMap { $0.allSatisfy { $0.pending >= 3 } ? $0 : nil }
            }
            tower = try TestProcesses.start(runner.executable, towerArguments + ["--listen", "127.0.0.1:\(port)"], log: directory.file("tower2.log"))
            // Every batch taken during the outage reaches the tower (agents back off, then flush in order)
            _ = try TestProcesses.waitFor("the outboxes flushed", timeout: 90) { () -> [OutboxStatus]? in
                guard let now = try outboxes() else { return nil }
                return zip(now, held).allSatisfy { $0.acknowledged >= $1.lastSequence } ? now : nil
            }
            agents.forEach(TestProcesses.stop)
            let final = try #require(try outboxes())
            for (index, data) in agentDirectories.enumerated() {
                let hostID = try String(contentsOfFile: data + "/host-id", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                let shown = try runner.run(["host", "show", hostID, "--output", "json"])
                let reports = try #require(try JSONDecoder().decode(HostReports.self, from: Data(shown.stdout.utf8)).reports)
                let agent = final[index]
                // Each sequence number was applied exactly once, with none missing
                #expect(reports.batches == reports.lastSequence, "\(hostID): \(reports)")
                #expect(reports.missing == 0 && agent.dropped == 0, "\(hostID)")
                // One metrics record per batch, and the agent's one line on tenant networks (its host
                // log sources are off): none lost, none twice.
                #expect(reports.records == reports.batches + 1, "\(hostID): one metrics record per batch and one agent line")
                // The tower has everything the agent saw acknowledged, and nothing it never sent
                #expect(reports.lastSequence >= agent.acknowledged && reports.lastSequence <= agent.lastSequence, "\(hostID)")
                #expect(reports.lastSequence >= held[index].lastSequence, "\(hostID)")
            }
        }
    }

    @Test func simulatedWANOutageTakesACountryOfflineAndItsOutboxesFlushWithNothingLost() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-sim")
            defer { directory.remove() }
            let database = directory.file("fleet.db")
            let runner = try CommandRunner(environment: ["MARQUEE_DB": database])
            #expect(try runner.run(["fleet", "generate", "--theaters", "30", "--seed", "1", "--output", "json"]).status == 0)
            let log = directory.file("tower.log")
            let (tower, url) = try TestProcesses.startTower(
                runner.executable, ["tower", "--db", database, "--listen", "127.0.0.1:0", "--heartbeat-interval", "1", "--missed-heartbeats", "3"],
                log: log)
            defer { TestProcesses.stop(tower) }
            let cli = try CommandRunner(environment: ["MARQUEE_DB": database, "MARQUEE_TOWER": url])

            // Unknown scenarios and bad arguments are usage errors
            let unknown = try cli.run(["sim", "--theaters", "30", "--scenario", "meteor"])
            #expect(unknown.status == 2 && unknown.stderr.contains("no scenario 'meteor'; known: steady, wan-outage"))
            let missing = try cli.run(["sim", "--theaters", "30", "--scenario", "wan-outage"])
            #expect(missing.status == 2 && missing.stderr.contains("give one ISO country code"))

            let sim = try cli.run(
                ["sim", "--theaters", "30", "--seed", "1", "--heartbeat-seconds", "1", "--scenario", "wan-outage", "DE", "--duration", "40"])
            #expect(sim.status == 0, "\(sim.stderr)")
            #expect(sim.stderr.contains("wan-outage: Germany (2 theaters, 6 hosts) lost the tower"), "\(sim.stderr)")
            #expect(sim.stderr.contains("wan-outage: Germany flushed;") && sim.stderr.contains(", 0 lost"), "\(sim.stderr)")
            #expect(sim.stdout.contains("still in outboxes, 0 dropped"), "\(sim.stdout)")

            // The tower saw Germany go offline and come back, and has every report exactly once
            let events = try cli.run(["site", "show", "de-ber-001", "--output", "json"]).stdout
            #expect(events.contains("host.offline") && events.contains("host.online"))
            let german = try JSONDecoder().decode(
                HostList.self, from: Data(try cli.run(["hosts", "--select", "country = DE", "--output", "json"]).stdout.utf8)
            ).items
            #expect(german.count == 6)
            for host in german {
                let shown = try cli.run(["host", "show", host.id, "--output", "json"])
                let reports = try #require(try JSONDecoder().decode(HostReports.self, from: Data(shown.stdout.utf8)).reports, "\(host.id)")
                #expect(reports.batches == reports.lastSequence && reports.missing == 0 && reports.lastSequence > 20, "\(host.id): \(reports)")
            }
        }
    }

    @Test func hostsWithoutATokenAreApprovedRejectedOrPreRegisteredByAnOperator() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-approval")
            defer { directory.remove() }
            let database = directory.file("fleet.db")
            let runner = try CommandRunner(environment: ["MARQUEE_DB": database])
            #expect(try runner.run(["fleet", "generate", "--theaters", "5", "--output", "json"]).status == 0)
            let sites = try runner.run(["sites", "--output", "json"]).stdout
            let site = try #require(sites.firstMatch(of: /"id" : "([a-z]{2}-[a-z]{3}-\d{3})"/).map { String($0.1) })
            let log = directory.file("tower.log")
            let (tower, url) = try TestProcesses.startTower(
                runner.executable, ["tower", "--listen", "127.0.0.1:0", "--db", database, "--heartbeat-interval", "1"], log: log)
            defer { TestProcesses.stop(tower) }
            let cli = try CommandRunner(environment: ["MARQUEE_DB": database, "MARQUEE_TOWER": url])
            func host(named name: String) throws -> HostList.Host? {
                let outcome = try cli.run(["hosts", "--site", site, "--output", "json"])
                return try JSONDecoder().decode(HostList.self, from: Data(outcome.stdout.utf8)).items.first { $0.hostname == name }
            }

            // A pre-registered serial is approved on its first call, with neither token nor site
            #expect(try cli.run(["hosts", "preregister", "--serial", "SER-PRE-1", "--site", site]).status == 0)
            try FileManager.default.createDirectory(atPath: directory.file("pre"), withIntermediateDirectories: true)
            try "SER-PRE-1\n".write(toFile: directory.file("pre/serial"), atomically: true, encoding: .utf8)
            let agents = try [("pre", [String]()), ("wait", ["--site", site]), ("nope", ["--site", site])].map { name, extra in
                try TestProcesses.start(
                    runner.executable,
                    ["agent", "--no-tenant-networks", "--tower", url, "--data-dir", directory.file(name), "--hostname", "edge-\(name)"] + extra,
                    log: directory.file("\(name).log"))
            }
            defer { agents.forEach(TestProcesses.stop) }
            _ = try TestProcesses.waitFor("the pre-registered host online", timeout: 120) {
                try host(named: "edge-pre").flatMap { $0.status == "online" ? $0 : nil }
            }

            // The others wait as pending until an operator decides
            let waiting = try TestProcesses.waitFor("a pending host", timeout: 60) {
                try host(named: "edge-wait").flatMap { $0.status == "pending" ? $0 : nil }
            }
            let refused = try TestProcesses.waitFor("a second pending host", timeout: 60) {
                try host(named: "edge-nope").flatMap { $0.status == "pending" ? $0 : nil }
            }
            let approved = try cli.run(["hosts", "approve", waiting.id])
            #expect(approved.status == 0 && approved.stdout.contains("Approved \(waiting.id)"), "\(approved.stderr)")
            #expect(try cli.run(["hosts", "reject", refused.id]).status == 0)
            _ = try TestProcesses.waitFor("the approved host online", timeout: 120) {
                try host(named: "edge-wait").flatMap { $0.status == "online" ? $0 : nil }
            }
            #expect(try host(named: "edge-nope")?.status == "revoked")
            // Deciding twice is a clear error, not a crash
            let again = try cli.run(["hosts", "approve", refused.id])
            #expect(again.status != 0 && again.stderr.contains("is revoked, not waiting for approval"), "\(again.stderr)")
            // The rejected agent gives up with the reason
            agents[2].waitUntilExit()
            #expect(agents[2].terminationStatus != 0)
        }
    }

    /// Starts `marquee tower` (arguments include `--listen 127.0.0.1:PORT`) and waits until it listens.
}
