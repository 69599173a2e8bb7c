import Foundation
import Logging
import MarqueeAgent
import MarqueeCore
import MarqueeTestSupport
import Testing

/// `--tenant-networks` with the route out: real namespaces, veth pairs and the agent's nftables
/// table, a "theater LAN" in a network namespace of its own, `marquee workload http` servers and
/// bash clients run by the process driver.
@Suite struct TenantUplinkTests {
    @Test(.enabled(if: TestLAN.available, "tenant uplinks need root, iproute2 and nftables"))
    func aTenantReachesWhatItsPolicyAllowsAndIsReachedOnlyOnItsIngressPorts() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-uplink")
        defer { directory.remove() }
        let marquee = try CommandRunner().executable
        let logger = Logger(label: "test.uplink")
        let second = Int.random(in: 100...149)
        let scope = String(UInt16.random(in: 0x1000...0xFFFF), radix: 16)
        let uplink = try TenantUplink(subnet: "10.\(second).0.0/16", scope: scope)
        let lan = try TestLAN(name: "mqlan\(scope)", network: "10.\(second).250")
        defer { lan.remove() }
        // A network of the host's own already holds the first /24: the tenants' numbers skip it.
        try TestLAN.run(["ip", "link", "add", "mqd\(scope)h", "type", "veth", "peer", "name", "mqd\(scope)n"])
        defer { _ = try? TestLAN.run(["ip", "link", "del", "mqd\(scope)h"]) }
        try TestLAN.run(["ip", "addr", "add", "10.\(second).1.1/24", "dev", "mqd\(scope)h"])
        let networks = TenantNetworks(uplink: uplink, logger: logger)
        let driver = ProcessDriver(logDirectory: directory.file("logs"), networks: networks, logger: logger)
        let base = Int.random(in: 20_000..<40_000)
        let (allowed, refused, portA, portB, hostPort) = (base, base + 1, base + 2, base + 3, base + 4)
        // Two servers on the LAN, and one on the host itself (every address).
        var others: [ChildProcess] = []
        defer { for child in others { child.send(SIGKILL, group: true) } }
        for port in [allowed, refused] {
            others.append(
                try ChildProcess(
                    executable: "/usr/bin/env",
                    arguments: ["ip", "netns", "exec", lan.name, marquee, "workload", "http", "--address", "0.0.0.0", "--port", "\(port)"]))
        }
        others.append(try ChildProcess(executable: marquee, arguments: ["workload", "http", "--address", "0.0.0.0", "--port", "\(hostPort)"]))
        do {
            // Tenant A publishes its port and may reach one LAN server; tenant B declares nothing.
            let shop = NetworkPolicy(ingress: [portA], outbound: ["\(lan.address):\(allowed)"])
            let serverA = try await driver.start(
                LaunchRequest(
                    id: "h1/shop/web-0", tenantID: "mtc-platform", image: "web:1",
                    arguments: [marquee, "workload", "http", "--address", "0.0.0.0", "--port", "\(portA)"], environment: [:],
                    resources: ResourceRequest(), network: shop))
            let serverB = try await driver.start(
                LaunchRequest(
                    id: "h1/vision/infer-0", tenantID: "visionary", image: "infer:1",
                    arguments: [marquee, "workload", "http", "--address", "0.0.0.0", "--port", "\(portB)"], environment: [:],
                    resources: ResourceRequest()))
            let addressA = try #require(await networks.address(of: "mtc-platform"))
            let addressB = try #require(await networks.address(of: "visionary"))
            #expect(addressA == "10.\(second).2.2" && addressB == "10.\(second).3.2")
            // No IPv6 on either end of the pair (the firewall is IPv4's).
            #expect(try TestLAN.run(["ip", "-6", "-o", "addr", "show", "dev", "\(uplink.prefix)2"]).isEmpty)
            let inside = try #require(await driver.networkNamespace(of: serverA.runtimeID))
            #expect(try TestLAN.run(["nsenter", "--net=\(inside)", "--", "ip", "-6", "-o", "addr", "show", "dev", "eth0"]).isEmpty)
            try await NamespaceTesting.waitListening(portA, in: await driver.networkNamespace(of: serverA.runtimeID))
            try await NamespaceTesting.waitListening(portB, in: await driver.networkNamespace(of: serverB.runtimeID))
            try await NamespaceTesting.waitListening(allowed, in: lan.path)
            try await NamespaceTesting.waitListening(refused, in: lan.path)
            try await NamespaceTesting.waitListening(hostPort, in: nil)

            let hostSideA = addressA.replacingOccurrences(of: ".2", with: ".1", options: .anchored.union(.backwards))
            let fromA = try await NamespaceTesting.output(
                of: LaunchRequest(
                    id: "h1/shop/client-0", tenantID: "mtc-platform", image: "client:1",
                    arguments: [
                        "bash", "-c",
                        TestLAN.connectScript([
                            (lan.address, allowed), (lan.address, refused), (addressB, portB), (hostSideA, hostPort), (lan.host, hostPort),
                        ]),
                    ], environment: [:], resources: ResourceRequest(), network: shop), on: driver)
            #expect(
                fromA == [
                    "\(lan.address):\(allowed) open",  // on its allow-list
                    "\(lan.address):\(refused) closed",  // the same server, another port: not listed
                    "\(addressB):\(portB) closed",  // another tenant
                    "\(hostSideA):\(hostPort) closed",  // the host, on its end of the veth
                    "\(lan.host):\(hostPort) closed",  // the host, on its LAN address
                ])
            let fromB = try await NamespaceTesting.output(
                of: LaunchRequest(
                    id: "h1/vision/client-0", tenantID: "visionary", image: "client:1",
                    arguments: ["bash", "-c", TestLAN.connectScript([(lan.address, allowed), (addressA, portA)])], environment: [:],
                    resources: ResourceRequest()), on: driver)
            #expect(fromB == ["\(lan.address):\(allowed) closed", "\(addressA):\(portA) closed"])

            // From the LAN: tenant A's ingress port on the host's address reaches its server;
            // tenant B's port, which it did not publish, does not.
            let fromLAN = try lan.connect([(lan.host, portA), (lan.host, portB)])
            #expect(fromLAN == ["\(lan.host):\(portA) open", "\(lan.host):\(portB) closed"])

            // Once A's server stops, its port is no longer published.
            await driver.stop(serverA.runtimeID, grace: .seconds(2))
            let rules = try TestLAN.run(["nft", "list", "table", "ip", uplink.table])
            #expect(!rules.contains("dport \(portA)"), "\(rules)")
        } catch {
            await driver.stopAll(grace: .seconds(2))
            throw error
        }
        await driver.stopAll(grace: .seconds(2))
        // The agent's table and interfaces are gone with it.
        #expect((try? TestLAN.run(["nft", "list", "table", "ip", uplink.table])) == nil)
        #expect(!(try TestLAN.run(["ip", "-o", "link"])).contains(uplink.prefix))
    }
}
