import Foundation
import MarqueeAgent
import Testing

/// The nftables table the agent writes for tenant namespaces with an uplink.
@Suite struct TenantFirewallTests {
    private func firewall(_ routes: [TenantFirewall.Route], nameservers: [String] = []) -> TenantFirewall {
        TenantFirewall(table: "marquee_mqab12", interfacePrefix: "mqab12h", subnet: "10.213.0.0/16", routes: routes, nameservers: nameservers)
    }

    @Test func replacesItsTableWholeAndRefusesWhatNoPolicyAllows() {
        let shop = TenantFirewall.Route(
            tenantID: "mtc-platform", interface: "mqab12h1", address: "10.213.1.2", ingress: [8080, 8080],
            outbound: [.init(address: "192.0.2.10", port: 443), .init(address: "198.51.100.0/24")])
        let vision = TenantFirewall.Route(tenantID: "visionary", interface: "mqab12h2", address: "10.213.2.2", ingress: [9000], outbound: [])
        let script = firewall([vision, shop], nameservers: ["192.0.2.53"]).script
        let lines = script.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        // One transaction: make sure the table exists, delete it, write it whole.
        #expect(Array(lines.prefix(3)) == ["table ip marquee_mqab12 {}", "delete table ip marquee_mqab12", "table ip marquee_mqab12 {"])
        func index(_ rule: String) throws -> Int { try #require(lines.firstIndex(of: rule), "missing: \(rule)\n\(script)") }
        // Tenants never reach each other or the host; replies pass.
        let tenantToTenant = try? index("iifname \"mqab12h*\" oifname \"mqab12h*\" reject")
        #expect(tenantToTenant != nil)
        let hostRefused = try? index("iifname \"mqab12h*\" reject")
        let hostDNS = try? index("iifname \"mqab12h*\" ip daddr { 192.0.2.53 } tcp dport 53 accept")
        #expect(hostRefused != nil && hostDNS != nil && hostDNS! < hostRefused!)
        // Ingress: published on the host's addresses, one DNAT per tenant, and let through to that address only.
        #expect(lines.filter { $0 == "fib daddr type local ip daddr != 127.0.0.0/8 tcp dport { 8080 } dnat to 10.213.1.2" }.count == 2)
        let ingress = try? index("oifname \"mqab12h1\" ip daddr 10.213.1.2 tcp dport { 8080 } accept")
        let closed = try? index("oifname \"mqab12h*\" reject")
        #expect(ingress != nil && closed != nil && ingress! < closed! && tenantToTenant! < ingress!)
        // Outbound: the allow-list, DNS, then everything else refused; only the subnet is masqueraded.
        let allowed = try? index("iifname \"mqab12h1\" ip daddr 192.0.2.10 tcp dport 443 accept")
        let network = try? index("iifname \"mqab12h1\" ip daddr 198.51.100.0/24 accept")
        let dns = try? index("iifname \"mqab12h*\" ip daddr { 192.0.2.53 } udp dport 53 accept")
        let denied = try? index("iifname \"mqab12h*\" reject with icmp type admin-prohibited")
        #expect(allowed != nil && network != nil && dns != nil && denied != nil && allowed! < denied! && dns! < denied!)
        #expect(!lines.contains { $0.hasPrefix("iifname \"mqab12h2\" ip daddr") }, "visionary declared no outbound")
        #expect(lines.contains("ip saddr 10.213.0.0/16 oifname != \"mqab12h*\" masquerade"))
    }

    @Test func aPortTwoTenantsAskForIsPublishedForTheFirstOnly() {
        let a = TenantFirewall.Route(tenantID: "a", interface: "mqab12h1", address: "10.213.1.2", ingress: [8080], outbound: [])
        let b = TenantFirewall.Route(tenantID: "b", interface: "mqab12h2", address: "10.213.2.2", ingress: [8080, 9000], outbound: [])
        let rules = firewall([b, a])
        #expect(rules.conflicts.map { "\($0.port) \($0.tenantID) \($0.keptBy)" } == ["8080 b a"])
        #expect(rules.script.contains("tcp dport { 8080 } dnat to 10.213.1.2"))
        #expect(rules.script.contains("tcp dport { 9000 } dnat to 10.213.2.2"))
        #expect(!rules.script.contains("8080 } dnat to 10.213.2.2") && !rules.script.contains("8080, 9000"))
    }

    @Test func outboundEntriesBecomeAddressesAndPorts() {
        let (allowed, unresolved) = TenantFirewall.destinations([
            "192.0.2.10:443", "198.51.100.0/24", "localhost:8443", "no-such-host.invalid:443", "10.0.0.1:99999",
        ])
        #expect(allowed.contains(.init(address: "192.0.2.10", port: 443)))
        #expect(allowed.contains(.init(address: "198.51.100.0/24")))
        #expect(allowed.contains(.init(address: "127.0.0.1", port: 8443)))
        #expect(unresolved.contains("no-such-host.invalid:443"))
        // Not a port: the whole entry is a name, which does not resolve.
        #expect(unresolved.contains("10.0.0.1:99999") && !allowed.contains { $0.address == "10.0.0.1" })
    }

    @Test func theTenantNetworkIsASlashSixteen() throws {
        let uplink = try TenantUplink(subnet: "10.213.0.0/16", scope: "AB12cd34")
        #expect(uplink.subnet == "10.213.0.0/16" && uplink.prefix == "mqab12cdh" && uplink.table == "marquee_mqab12cd")
        for bad in ["10.213.0.0/24", "10.213.1.0/16", "10.213.0.0", "ten.0.0.0/16"] {
            #expect(throws: RuntimeError.self) { try TenantUplink(subnet: bad, scope: "ab12") }
        }
    }
}
