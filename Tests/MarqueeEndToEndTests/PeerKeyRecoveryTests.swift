import Crypto
import Foundation
import GRDB
import MarqueeCore
import MarqueeTestSupport
import Testing

/// The site key split among a theater's hosts, with real processes: three agents with peer
/// listeners, a container needing a secret; one host restarts and rebuilds the key from its own
/// share (in its desired state) and a peer's — the tower never hands it the key again.
@Suite struct PeerKeyRecoveryTests {
    private struct HostBody: Decodable {
        struct Container: Decodable { var id: String }
        var containers: [Container]
    }

    private struct AuditBody: Decodable {
        var actor: String
        var action: String
    }

    @Test func aRestartedHostRebuildsTheSiteKeyFromItsPeersWithoutTheTowerUnsealingAgain() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-peer-keys")
            defer { directory.remove() }
            let theater = try RealAgentTheater(in: directory)
            defer { TestProcesses.stop(theater.tower) }
            let (runner, site, url, cli) = (theater.runner, theater.site, theater.url, theater.cli)
            let plaintext = "PEER-PLAINTEXT-\(UUID().uuidString)"
            let put = try cli.run(["secrets", "put", "platform/ticket-scanner"], stdin: #"{"uplink-token":"\#(plaintext)"}"#)
            #expect(put.status == 0, "\(put.stderr)")
            let token = try cli.run(["enroll-token", "create", "--site", site]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let agentData = (1...3).map { directory.file("agent\($0)") }
            func startAgent(_ index: Int) throws -> Process {
                try TestProcesses.start(
                    runner.executable,
                    [
                        "agent", "--no-tenant-networks", "--tower", url, "--enroll-token", token, "--data-dir", agentData[index], "--hostname",
                        "edge-\(index + 1)",
                        "--log-sources", "none", "--peer-listen", "127.0.0.1:0",
                    ],
                    log: directory.file("agent\(index + 1).log"))
            }
            var agents = try (0..<3).map(startAgent)
            defer { agents.forEach(TestProcesses.stop) }
            let hostIDs = (4...6).map { "\(site)-h\($0)" }
            // Online, and each agent's peer listener known to the tower.
            let database = try FleetDatabase.open(at: theater.database, create: false)
            _ = try TestProcesses.waitFor("three agents online with their peer listeners", timeout: 90) { () -> Bool? in
                let peers = try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM hostPeer") ?? 0 }
                return peers == 3 ? true : nil
            }

            let seen = directory.file("seen")
            try FileManager.default.createDirectory(atPath: seen, withIntermediateDirectories: true)
            let spec = TicketScannerSpec.yaml(seen: seen, replicas: 3)
            let file = directory.file("ticket-scanner.yaml")
            try spec.write(toFile: file, atomically: true, encoding: .utf8)
            let applied = try cli.run(["apply", "-f", file])
            #expect(applied.status == 0, "\(applied.stderr)")
            func digests() throws -> Int { try TicketScannerSpec.sightings(of: plaintext, in: seen) }
            _ = try TestProcesses.waitFor("the containers saw the secret", timeout: 120) { try digests() >= 3 ? true : nil }

            // The host to restart runs a scanner; some other host does too (so it holds a share).
            func containers(_ host: String) throws -> Int {
                let body = try cli.run(["host", "show", host, "--output", "json"]).stdout
                return try JSONDecoder().decode(HostBody.self, from: Data(body.utf8)).containers.filter { $0.id.contains("/ticket-scanner/") }.count
            }
            let counts = try hostIDs.map(containers)
            let restartIndex = try #require(counts.firstIndex { $0 > 0 })
            #expect(counts.enumerated().contains { $0.offset != restartIndex && $0.element > 0 }, "\(counts)")
            let restarted = hostIDs[restartIndex]
            func unseals(by host: String) throws -> Int {
                let audit = try JSONDecoder().decode([AuditBody].self, from: Data(try cli.run(["audit", "--output", "json"]).stdout.utf8))
                return audit.filter { $0.action == "secrets.unseal" && $0.actor == "host \(host)" }.count
            }
            // (Usually none at all: each host held its share from its desired state and rebuilt the key
            // with a peer's; a host that asked before its peers had their shares got it from the tower.)
            let before = try unseals(by: restarted)
            #expect(before <= 1)

            // The host reboots: its memory (key and share) is gone; its container needs the secret again.
            let shown = try digests()
            TestProcesses.stop(agents[restartIndex])
            agents[restartIndex] = try startAgent(restartIndex)
            _ = try TestProcesses.waitFor("the restarted host's container saw the secret", timeout: 120) {
                try digests() > shown ? true : nil
            }
            // It rebuilt the key from shares: the tower never unsealed for it again.
            #expect(try unseals(by: restarted) == before)
        }
    }
}
