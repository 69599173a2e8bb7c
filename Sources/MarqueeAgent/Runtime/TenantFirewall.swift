import Foundation
import MarqueeCore

/// The host's packet rules for tenant namespaces with an uplink (``TenantNetworks/Uplink``), as
/// one nftables table the agent owns and replaces whole on every change (`nft -f`: one transaction).
///
/// - Tenant to tenant: refused, whichever way, also through the host's own addresses.
/// - Tenant to the host: refused (the agent, sshd and every other tenant's published ports are
///   there), except replies and DNS when the host is its own nameserver.
/// - Tenant to the outside: only what its apps' `network.outbound` lists (an address, a network, a
///   name resolved when the container starts, with or without a port), and DNS to the host's
///   nameservers; everything else is refused (the spec's default deny), and what goes out is
///   masqueraded behind the host's address.
/// - Outside to a tenant: only its apps' `network.ingress` ports, published on the host's own
///   addresses (DNAT, from the LAN and from the host itself); one tenant per port.
///
/// Refusals are `reject` rather than `drop`: a container learns at once that the policy says no,
/// instead of waiting out a connect timeout.
public struct TenantFirewall: Sendable, Equatable {
    /// One tenant's namespace as the rules see it.
    public struct Route: Sendable, Equatable {
        public var tenantID: String
        /// The host end of the tenant's veth pair.
        public var interface: String
        /// The namespace's address.
        public var address: String
        public var ingress: [Int]
        public var outbound: [Destination]

        public init(tenantID: String, interface: String, address: String, ingress: [Int], outbound: [Destination]) {
            self.tenantID = tenantID
            self.interface = interface
            self.address = address
            self.ingress = ingress
            self.outbound = outbound
        }
    }

    /// An allowed destination: an IPv4 address or network, and a TCP/UDP port or any.
    public struct Destination: Sendable, Equatable, Hashable, Comparable {
        public var address: String
        public var port: Int?

        public init(address: String, port: Int? = nil) {
            self.address = address
            self.port = port
        }

        public static func < (a: Destination, b: Destination) -> Bool {
            (a.address, a.port ?? -1) < (b.address, b.port ?? -1)
        }
    }

    /// The nftables table (`ip` family) the agent owns.
    public var table: String
    /// What every host-side interface name of this agent starts with.
    public var interfacePrefix: String
    /// The network all tenant namespaces are in (`10.213.0.0/16`).
    public var subnet: String
    public var routes: [Route]
    /// The host's nameservers a namespace may ask (non-loopback ones only reach it).
    public var nameservers: [String]

    public init(table: String, interfacePrefix: String, subnet: String, routes: [Route], nameservers: [String]) {
        self.table = table
        self.interfacePrefix = interfacePrefix
        self.subnet = subnet
        self.routes = routes.sorted { $0.tenantID < $1.tenantID }
        self.nameservers = nameservers
    }

    /// Ingress ports asked for by more than one tenant: the first tenant (by id) keeps each.
    public var conflicts: [(port: Int, tenantID: String, keptBy: String)] {
        var owner: [Int: String] = [:]
        var conflicts: [(Int, String, String)] = []
        for route in routes {
            for port in Set(route.ingress).sorted() {
                if let kept = owner[port] { conflicts.append((port, route.tenantID, kept)) } else { owner[port] = route.tenantID }
            }
        }
        return conflicts
    }

    /// The `nft -f` script: creates the table if missing, deletes it and writes it anew, in one go.
    public var script: String {
        let all = "\"\(interfacePrefix)*\""
        var published: Set<Int> = []
        var dnat: [String] = []
        var forward: [String] = [
            "ct state established,related accept",
            "iifname \(all) oifname \(all) reject",
        ]
        for route in routes {
            let ports = Set(route.ingress).sorted().filter { published.insert($0).inserted }
            guard !ports.isEmpty else { continue }
            let set = "{ \(ports.map(String.init).joined(separator: ", ")) }"
            dnat.append("fib daddr type local ip daddr != 127.0.0.0/8 tcp dport \(set) dnat to \(route.address)")
            forward.append("oifname \"\(route.interface)\" ip daddr \(route.address) tcp dport \(set) accept")
        }
        forward.append("oifname \(all) reject")
        for route in routes {
            for destination in Set(route.outbound).sorted() {
                let rule = "iifname \"\(route.interface)\" ip daddr \(destination.address)"
                if let port = destination.port {
                    forward.append("\(rule) tcp dport \(port) accept")
                    forward.append("\(rule) udp dport \(port) accept")
                } else {
                    forward.append("\(rule) accept")
                }
            }
        }
        if !nameservers.isEmpty {
            let servers = "{ \(nameservers.joined(separator: ", ")) }"
            forward.append("iifname \(all) ip daddr \(servers) udp dport 53 accept")
            forward.append("iifname \(all) ip daddr \(servers) tcp dport 53 accept")
        }
        forward.append("iifname \(all) reject with icmp type admin-prohibited")
        var input = ["iifname \(all) ct state established,related accept"]
        if !nameservers.isEmpty {
            // A nameserver on one of the host's own addresses is reached through `input`.
            let servers = "{ \(nameservers.joined(separator: ", ")) }"
            input += ["iifname \(all) ip daddr \(servers) udp dport 53 accept", "iifname \(all) ip daddr \(servers) tcp dport 53 accept"]
        }
        input.append("iifname \(all) reject")
        func chain(_ name: String, _ hook: String, _ rules: [String]) -> String {
            "  chain \(name) {\n    \(hook)\n" + rules.map { "    \($0)\n" }.joined() + "  }\n"
        }
        return "table ip \(table) {}\ndelete table ip \(table)\ntable ip \(table) {\n"
            + chain("input", "type filter hook input priority 0; policy accept;", input)
            + chain("forward", "type filter hook forward priority 0; policy accept;", forward)
            + chain("prerouting", "type nat hook prerouting priority -100; policy accept;", dnat)
            + chain("output", "type nat hook output priority -100; policy accept;", dnat)
            + chain(
                "postrouting", "type nat hook postrouting priority 100; policy accept;",
                ["ip saddr \(subnet) oifname != \(all) masquerade"])
            + "}\n"
    }

    /// `network.outbound` entries as destinations: `ADDRESS[/BITS][:PORT]` as written, a name
    /// through the host's resolver (every IPv4 address it gives); a name that does not resolve
    /// allows nothing and is returned in `unresolved`.
    public static func destinations(_ entries: [String]) -> (allowed: [Destination], unresolved: [String]) {
        var allowed: [Destination] = []
        var unresolved: [String] = []
        for entry in entries {
            var host = Substring(entry)
            var port: Int?
            if let colon = entry.lastIndex(of: ":"), let number = Int(entry[entry.index(after: colon)...]), (1...65_535).contains(number) {
                host = entry[..<colon]
                port = number
            }
            if isIPv4Network(host) {
                allowed.append(Destination(address: String(host), port: port))
                continue
            }
            let addresses = resolve(String(host))
            if addresses.isEmpty { unresolved.append(entry) }
            allowed += addresses.map { Destination(address: $0, port: port) }
        }
        return (allowed, unresolved)
    }

    /// The host's nameservers from `resolv.conf`, without loopback ones (a namespace has its own loopback).
    public static func nameservers(resolvConf: String = "/etc/resolv.conf") -> [String] {
        guard let text = try? String(contentsOfFile: resolvConf, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count >= 2, fields[0] == "nameserver", isIPv4Network(fields[1]), !fields[1].hasPrefix("127.") else { return nil }
            return String(fields[1])
        }
    }

    static func isIPv4Network(_ text: Substring) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return false }
        if parts.count == 2 {
            guard let bits = Int(parts[1]), (0...32).contains(bits) else { return false }
        }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { $0.count <= 3 && Int($0).map { (0...255).contains($0) } == true }
    }

    private static func resolve(_ name: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            if let address = current.pointee.ai_addr {
                var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { inet in
                    var raw = inet.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &raw, &buffer, socklen_t(INET_ADDRSTRLEN))
                }
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(text) { addresses.append(text) }
            }
            node = current.pointee.ai_next
        }
        return addresses
    }
}
