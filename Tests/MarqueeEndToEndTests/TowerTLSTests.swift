import Foundation
import MarqueeTestSupport
import Testing

/// The tower over TLS with a private CA: real processes on loopback.
@Suite struct TowerTLSTests {
    private struct InitReply: Decodable {
        var caCertificate: String
        var caKey: String
        var certificate: String
        var key: String
        var createdAuthority: Bool
        var names: [String]
    }

    private struct HostList: Decodable {
        struct Host: Decodable {
            var hostname: String
            var status: String
        }
        var items: [Host]
    }

    @Test func agentsAndClientsPinTheTowersCAAndNothingElseIsTrusted() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-tls")
            defer { directory.remove() }
            let database = directory.file("fleet.db")
            let runner = try CommandRunner(environment: ["MARQUEE_DB": database])
            #expect(try runner.run(["fleet", "generate", "--theaters", "3", "--output", "json"]).status == 0)
            let site = try #require(
                try runner.run(["sites", "--output", "json"]).stdout.firstMatch(of: /"id" : "([a-z]{2}-[a-z]{3}-\d{3})"/).map { String($0.1) })

            // A private CA and a certificate; private keys 0600; a second run keeps the CA
            let created = try runner.run(["tower", "init-tls", "--dir", directory.file("tls"), "--name", "tower.example", "--output", "json"])
            #expect(created.status == 0, "\(created.stderr)")
            let files = try JSONDecoder().decode(InitReply.self, from: Data(created.stdout.utf8))
            #expect(files.createdAuthority)
            #expect(files.names == ["tower.example", "localhost", "127.0.0.1", "::1"])
            for key in [files.caKey, files.key] {
                #expect(try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int == 0o600)
            }
            let authority = try String(contentsOfFile: files.caCertificate, encoding: .utf8)
            let again = try runner.run(["tower", "init-tls", "--dir", directory.file("tls"), "--output", "json"])
            #expect(try JSONDecoder().decode(InitReply.self, from: Data(again.stdout.utf8)).createdAuthority == false)
            #expect(try String(contentsOfFile: files.caCertificate, encoding: .utf8) == authority)
            let other = try runner.run(["tower", "init-tls", "--dir", directory.file("other"), "--output", "json"])
            let otherCA = try JSONDecoder().decode(InitReply.self, from: Data(other.stdout.utf8)).caCertificate

            // Plain HTTP beyond loopback is refused; names that are not names are refused
            let plain = try runner.run(["tower", "--listen", "0.0.0.0:0"])
            #expect(plain.status == 2 && plain.stderr.contains("refusing plain HTTP on 0.0.0.0"))
            let badName = try runner.run(["tower", "init-tls", "--dir", directory.file("bad"), "--name", "not a name"])
            #expect(badName.status != 0 && badName.stderr.contains("'not a name' is neither a DNS name nor an IP address"))
            let mismatched = try runner.run(["tower", "--tls-cert", files.certificate, "--tls-key", files.caKey])
            #expect(mismatched.status != 0 && mismatched.stderr.contains("is not the private key of"))

            let (tower, url) = try TestProcesses.startTower(
                runner.executable,
                [
                    "tower", "--listen", "127.0.0.1:0", "--db", database, "--heartbeat-interval", "1", "--tls-cert", files.certificate, "--tls-key",
                    files.key,
                ],
                log: directory.file("tower.log"))
            defer { TestProcesses.stop(tower) }
            #expect(url.hasPrefix("https://"))

            // Pinned to the tower's CA: works. System roots or another CA: refused at the handshake.
            let pinned = try CommandRunner(environment: ["MARQUEE_DB": database, "MARQUEE_TOWER": url, "MARQUEE_TOWER_CA": files.caCertificate])
            let token = try pinned.run(["enroll-token", "create", "--site", site])
            #expect(token.status == 0, "\(token.stderr)")
            for ca in ["", otherCA] {
                let refused = try CommandRunner(environment: ["MARQUEE_DB": database, "MARQUEE_TOWER": url, "MARQUEE_TOWER_CA": ca])
                    .run(["sites", "--output", "json"])
                #expect(refused.status != 0)
                #expect(refused.stderr.contains("the TLS handshake failed"), "\(refused.stderr)")
            }
            let plainToTLS = try CommandRunner(environment: [
                "MARQUEE_DB": database, "MARQUEE_TOWER": url.replacingOccurrences(of: "https", with: "http"),
            ])
            .run(["sites"])
            #expect(plainToTLS.status != 0)

            // A real agent pins the CA, keeps it in its data directory and comes online over TLS
            let agentData = directory.file("agent")
            let agent = try TestProcesses.start(
                runner.executable,
                [
                    "agent", "--no-tenant-networks", "--tower", url, "--tower-ca", files.caCertificate, "--enroll-token",
                    token.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--data-dir", agentData, "--hostname", "tls-edge", "--log-sources",
                    "none",
                ],
                log: directory.file("agent.log"))
            defer { TestProcesses.stop(agent) }
            _ = try TestProcesses.waitFor("the agent online over TLS", timeout: 60) { () -> Bool? in
                let listed = try pinned.run(["hosts", "--site", site, "--output", "json"])
                let hosts = try JSONDecoder().decode(HostList.self, from: Data(listed.stdout.utf8)).items
                return hosts.contains { $0.hostname == "tls-edge" && $0.status == "online" } ? true : nil
            }
            #expect(try String(contentsOfFile: agentData + "/tower-ca.pem", encoding: .utf8) == authority)
        }
    }
}
