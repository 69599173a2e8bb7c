import Foundation

/// A tenant namespace's way out: a veth pair between the host and the namespace, an address in the
/// agent's tenant network, and a default route through the host, whose ``TenantFirewall`` decides
/// what may pass (`marquee agent --tenant-networks`).
///
/// Tenant `n` (numbered on this host from 1, in the order their first container starts) gets
/// `A.B.n.0/24` of the network `A.B.0.0/16`: the host end is `A.B.n.1` on `PREFIXhN`, the
/// namespace end `A.B.n.2` on `eth0`. A /24 already on one of the host's interfaces (another
/// agent's tenants on the same machine, a network of the host's own) is skipped.
public struct TenantUplink: Sendable, Equatable {
    /// The first two octets of the tenant network (`10.213`).
    public var network: String
    /// What this agent's host-side interfaces are named from (`mq` and a short scope: several
    /// agents on one machine, in tests or a lab, keep theirs apart), and its nftables table.
    public var prefix: String

    /// - Parameters:
    ///   - subnet: `A.B.0.0/16`, the network the tenants' namespaces are numbered in.
    ///   - scope: up to 6 letters or digits that tell this agent's interfaces apart.
    public init(subnet: String, scope: String) throws(RuntimeError) {
        let parts = subnet.split(separator: "/")
        let octets = parts.first?.split(separator: ".").compactMap { UInt8($0) } ?? []
        guard parts.count == 2, parts[1] == "16", octets.count == 4, octets[2] == 0, octets[3] == 0 else {
            throw RuntimeError("the tenant network must be a /16 written A.B.0.0/16 (e.g. 10.213.0.0/16), not '\(subnet)'")
        }
        let scope = scope.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(6)
        network = "\(octets[0]).\(octets[1])"
        prefix = "mq\(scope)h"
    }

    public var subnet: String { "\(network).0.0/16" }
    public var table: String { "marquee_\(prefix.dropLast())" }

    func hostInterface(_ index: Int) -> String { "\(prefix)\(index)" }
    func hostAddress(_ index: Int) -> String { "\(network).\(index).1" }
    func namespaceAddress(_ index: Int) -> String { "\(network).\(index).2" }

    /// Gives the namespace held by `holder` its end of a new veth pair, addresses both ends and
    /// routes the namespace through the host.
    func connect(index: Int, holder: Int32, namespace path: String) throws(RuntimeError) {
        let host = hostInterface(index)
        let peer = "\(prefix.dropLast())n\(index)"
        try Self.run(["ip", "link", "add", host, "type", "veth", "peer", "name", peer])
        do {
            // IPv4 only: the firewall is an `ip` table, so no IPv6 (not even link-local, which
            // would reach the host's services on `::`) may pass the pair.
            try Self.disableIPv6(host)
            try Self.run(["ip", "link", "set", peer, "netns", String(holder)])
            try Self.run(["ip", "addr", "add", "\(hostAddress(index))/24", "dev", host])
            try Self.run(["ip", "link", "set", host, "up"])
            let inside = ["nsenter", "--net=\(path)", "--", "ip"]
            try Self.run(inside + ["link", "set", peer, "name", "eth0"])
            try Self.run(["nsenter", "--net=\(path)", "--", "sh", "-c", "! [ -e \(Self.ipv6Switch("eth0")) ] || echo 1 > \(Self.ipv6Switch("eth0"))"])
            try Self.run(inside + ["addr", "add", "\(namespaceAddress(index))/24", "dev", "eth0"])
            try Self.run(inside + ["link", "set", "eth0", "up"])
            try Self.run(inside + ["route", "add", "default", "via", hostAddress(index)])
        } catch {
            disconnect(index: index)
            throw error
        }
    }

    static func ipv6Switch(_ interface: String) -> String { "/proc/sys/net/ipv6/conf/\(interface)/disable_ipv6" }

    /// Turns IPv6 off on a host interface (nothing to do on a host without IPv6).
    static func disableIPv6(_ interface: String) throws(RuntimeError) {
        let path = ipv6Switch(interface)
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            try "1\n".write(toFile: path, atomically: false, encoding: .utf8)
        } catch {
            throw RuntimeError("cannot turn IPv6 off on \(interface) (\(path)): \(error.localizedDescription)")
        }
    }

    /// Removes the host end (the namespace's end goes with it).
    func disconnect(index: Int) {
        _ = try? Self.run(["ip", "link", "del", hostInterface(index)])
    }

    /// Lets the host forward for the namespaces (what passes is the firewall's to say).
    static func enableForwarding() throws(RuntimeError) {
        let path = "/proc/sys/net/ipv4/ip_forward"
        if (try? String(contentsOfFile: path, encoding: .utf8))?.hasPrefix("1") == true { return }
        do {
            try "1\n".write(toFile: path, atomically: false, encoding: .utf8)
        } catch {
            throw RuntimeError("cannot let the host forward for tenant namespaces (\(path)): \(error.localizedDescription)")
        }
    }

    /// Writes the agent's nftables table anew.
    static func apply(_ firewall: TenantFirewall) throws(RuntimeError) {
        try run(["nft", "-f", "-"], input: firewall.script)
    }

    /// Removes the agent's nftables table, if there is one.
    func removeFirewall() {
        _ = try? Self.run(["nft", "delete", "table", "ip", table])
    }

    /// Whether `A.B.index.0/24` is already on one of the host's interfaces (another agent's
    /// tenants, or a network of the host's own): that number is skipped.
    func inUse(_ index: Int) -> Bool {
        let listed = try? Self.run(["ip", "-4", "-o", "addr", "show", "to", "\(network).\(index).0/24"])
        return listed.map { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } ?? false
    }

    /// Runs a short system command (iproute2, util-linux, nftables) to its end; returns its output.
    @discardableResult
    static func run(_ arguments: [String], input: String? = nil) throws(RuntimeError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        let output = Pipe()
        let stdin = Pipe()
        process.standardError = errors
        process.standardOutput = output
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        do {
            try process.run()
        } catch {
            throw RuntimeError("cannot run `\(arguments.joined(separator: " "))`: \(error.localizedDescription)")
        }
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        // Both pipes are read to their end (a full one would stall the command); these say little.
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let reason = message.trimmingCharacters(in: .whitespacesAndNewlines)
            throw RuntimeError(
                "`\(arguments.prefix(3).joined(separator: " ")) …` failed (status \(process.terminationStatus)): \(reason.isEmpty ? "no message" : reason)"
            )
        }
        return String(decoding: printed, as: UTF8.self)
    }
}
