import Foundation
import MarqueeTestSupport
import Testing

/// `marquee agent --tenant-networks` end to end: an applied app's `network.ingress` port is
/// published on the host's address for the theater's LAN, and nothing else of its namespace is.
@Suite struct TenantNetworkDeployTests {
    private struct RolloutBody: Decodable {
        var state: String
        var reason: String?
    }

    @Test(.enabled(if: TestLAN.available, "tenant networks need root, iproute2 and nftables"))
    func anAppsIngressPortIsPublishedOnTheHostsAddressAndGoesWithTheAgent() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-uplink-e2e")
            defer { directory.remove() }
            let theater = try RealAgentTheater(in: directory)
            defer { TestProcesses.stop(theater.tower) }
            let (runner, site, url, cli) = (theater.runner, theater.site, theater.url, theater.cli)
            // A /16 of its own (TenantUplinkTests draws from 100…149) and a LAN beside the host.
            let second = Int.random(in: 150...199)
            let lan = try TestLAN(name: "mqe\(String(UInt16.random(in: 0x1000...0xFFFF), radix: 16))", network: "10.\(second).250")
            defer { lan.remove() }
            let token = try cli.run(["enroll-token", "create", "--site", site]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let agent = try TestProcesses.start(
                runner.executable,
                [
                    "agent", "--tower", url, "--enroll-token", token, "--data-dir", directory.file("agent"), "--hostname", "edge-real",
                    "--log-sources", "none", "--tenant-networks", "--tenant-subnet", "10.\(second).0.0/16",
                ],
                log: directory.file("agent.log"))
            defer { TestProcesses.stop(agent) }
            _ = try TestProcesses.waitFor("the agent online", timeout: 60) {
                try cli.run(["hosts", "--site", site, "--status", "online", "--output", "json"]).stdout.contains("\(site)-h4") ? true : nil
            }
            let port = try DeployTests.freePort()
            let spec = """
                apiVersion: marquee/v1
                kind: Application
                name: kiosk
                version: 1.0.0
                tenant: mtc-platform
                network:
                  ingress: [\(port)]
                services:
                  - name: web
                    containers:
                      - name: web
                        image: registry.marquee.example/mtc-platform/kiosk:1.0.0
                        command: ["\(runner.executable)", workload, http, --address, 0.0.0.0, --port, "\(port)"]
                        ports: [\(port)]
                        probes:
                          readiness: {http: {path: /health, port: \(port)}, interval: 1s, timeout: 1s}
                ---
                apiVersion: marquee/v1
                kind: Deployment
                application: kiosk
                version: "*"
                placement:
                  match: has(country)
                rollout:
                  healthy-for: 2s
                  deadline: 2m
                """
            let file = directory.file("kiosk.yaml")
            try spec.write(toFile: file, atomically: true, encoding: .utf8)
            let applied = try cli.run(["apply", "-f", file])
            #expect(applied.status == 0, "\(applied.stderr)")
            let rollout = try TestProcesses.waitFor("the rollout to finish", timeout: 120) { () -> RolloutBody? in
                let outcome = try cli.run(["rollout", "status", "kiosk-1.0.0", "--output", "json"])
                let body = try JSONDecoder().decode(RolloutBody.self, from: Data(outcome.stdout.utf8))
                return ["completed", "halted"].contains(body.state) ? body : nil
            }
            #expect(rollout.state == "completed", "\(rollout.reason ?? "")")

            // The LAN reaches the app on the host's address; on the host's loopback the port is not
            // there (the app is in its tenant's namespace).
            #expect(try lan.connect([(lan.host, port)]) == ["\(lan.host):\(port) open"])
            let loopback = try TestLAN.run(["bash", "-c", TestLAN.connectScript([("127.0.0.1", port)])])
            #expect(loopback == "127.0.0.1:\(port) closed\n")

            // The operator sees at the tower that this host separates its tenants.
            let said = try TestProcesses.waitFor("the agent's tenant network line at the tower", timeout: 60) { () -> String? in
                let outcome = try cli.run(["logs", "--host", "\(site)-h4", "--layer", "agent", "--grep", "tenant networks", "--since", "30m"])
                return outcome.stdout.contains("tenant networks:") ? outcome.stdout : nil
            }
            #expect(said.contains("each tenant in its own network namespace, numbered in 10.\(second).0.0/16"), "\(said)")

            // Stopped, the agent takes its rules and interfaces with it.
            TestProcesses.stop(agent)
            #expect(try lan.connect([(lan.host, port)]) == ["\(lan.host):\(port) closed"])
            let rules = try TestLAN.run(["nft", "list", "ruleset"])
            #expect(!rules.contains("dport \(port)"), "\(rules)")
        }
    }
}
