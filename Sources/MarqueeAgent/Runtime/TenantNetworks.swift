import Foundation
import Logging
import MarqueeCore

/// One network namespace per tenant on this host, for the process driver (`marquee agent
/// --tenant-networks`).
///
/// A tenant's namespace is held open by a small holder process (`unshare --net -- cat`, reading a
/// pipe only the agent writes to: when the agent goes, the holder goes). Its containers run in it
/// through `nsenter --net=/proc/HOLDER/ns/net`, so they share a loopback with each other and with
/// nothing else: a port one tenant opens is not there for another tenant's containers, nor for the
/// host. The agent's own probes reach them by entering the namespace (``NetworkNamespace``).
///
/// With an ``TenantUplink`` each namespace also gets a veth pair to the host and an address, and
/// the host's ``TenantFirewall`` lets through only what the tenant's apps declare: their
/// `network.ingress` ports from the LAN, their `network.outbound` destinations out. Without one a
/// namespace has only its loopback: its containers reach nothing outside it.
public actor TenantNetworks {
    /// A tenant's namespace as a container start needs it.
    public struct Namespace: Sendable, Equatable {
        public var tenantID: String
        /// `/proc/PID/ns/net` of the holder.
        public var path: String
        /// Its address in the tenant network (with an uplink).
        public var address: String?
    }

    private struct Holder {
        var process: Process
        var input: Pipe
        var namespace: Namespace
        /// Its number in the tenant network (with an uplink).
        var index: Int?
    }

    private let unshare: String
    private let uplink: TenantUplink?
    private let logger: Logger
    private var holders: [String: Holder] = [:]
    /// What each running container's network policy allows, by container id: its outbound names
    /// are resolved once, when it starts.
    private var policies: [String: Admitted] = [:]

    private struct Admitted {
        var tenantID: String
        var ingress: [Int]
        var outbound: [TenantFirewall.Destination]
    }
    /// The rules last written (nil: none yet).
    private var written: TenantFirewall?

    /// - Parameters:
    ///   - unshare: the `unshare` binary (util-linux).
    ///   - uplink: give each namespace a route out through the host's firewall; nil: loopback only.
    public init(unshare: String = "/usr/bin/unshare", uplink: TenantUplink? = nil, logger: Logger) {
        self.unshare = unshare
        self.uplink = uplink
        self.logger = logger
    }

    /// Whether this host can give tenants namespaces: makes one (with its uplink and the firewall,
    /// when asked), brings its loopback up, removes it. The error says what is missing
    /// (util-linux, iproute2, nftables, privileges).
    public static func check(uplink: TenantUplink? = nil, logger: Logger) async throws(RuntimeError) {
        let probe = TenantNetworks(uplink: uplink, logger: logger)
        do {
            _ = try await probe.namespace(for: "marquee-check", container: "marquee-check", policy: NetworkPolicy())
        } catch {
            await probe.removeAll()
            throw error
        }
        await probe.removeAll()
    }

    /// The namespace of a container's tenant (made on first use), with the rules updated for the
    /// container's network policy before it starts.
    public func namespace(for tenantID: String, container: String, policy: NetworkPolicy) async throws(RuntimeError) -> Namespace {
        let namespace = try await namespace(for: tenantID)
        let outbound = uplink == nil ? (allowed: [], unresolved: []) : TenantFirewall.destinations(policy.outbound)
        if !outbound.unresolved.isEmpty {
            logger.warning(
                "Outbound destinations that do not resolve allow nothing",
                metadata: ["container.id": "\(container)", "destinations": "\(outbound.unresolved)"])
        }
        policies[container] = Admitted(tenantID: tenantID, ingress: policy.ingress, outbound: outbound.allowed)
        do {
            try writeFirewall()
        } catch {
            policies[container] = nil
            throw error
        }
        return namespace
    }

    /// Forgets a stopped container's policy (its ports close, its destinations go, unless another
    /// container of the tenant declares them too).
    public func release(container: String) {
        guard policies.removeValue(forKey: container) != nil else { return }
        do {
            try writeFirewall()
        } catch {
            logger.error("Could not update the tenant firewall", metadata: ["container.id": "\(container)", "reason": "\(error)"])
        }
    }

    /// The tenant's address in the tenant network (with an uplink, once its namespace exists).
    public func address(of tenantID: String) -> String? {
        holders[tenantID]?.namespace.address
    }

    /// The rules for the namespaces and policies as they are now.
    public var firewall: TenantFirewall? {
        guard let uplink else { return nil }
        let routes = holders.values.compactMap { holder -> TenantFirewall.Route? in
            guard let index = holder.index, let address = holder.namespace.address else { return nil }
            let tenant = policies.values.filter { $0.tenantID == holder.namespace.tenantID }
            return TenantFirewall.Route(
                tenantID: holder.namespace.tenantID, interface: uplink.hostInterface(index), address: address,
                ingress: tenant.flatMap(\.ingress), outbound: tenant.flatMap(\.outbound))
        }
        return TenantFirewall(
            table: uplink.table, interfacePrefix: uplink.prefix, subnet: uplink.subnet, routes: routes, nameservers: TenantFirewall.nameservers())
    }

    private func writeFirewall() throws(RuntimeError) {
        guard let firewall, firewall != written else { return }
        try TenantUplink.apply(firewall)
        written = firewall
        for conflict in firewall.conflicts {
            logger.warning(
                "An ingress port is already published for another tenant on this host",
                metadata: ["port": "\(conflict.port)", "tenant.id": "\(conflict.tenantID)", "kept.by": "\(conflict.keptBy)"])
        }
    }

    /// The tenant's namespace, made on first use.
    private func namespace(for tenantID: String) async throws(RuntimeError) -> Namespace {
        if let holder = holders[tenantID], holder.process.isRunning { return holder.namespace }
        if let stale = holders.removeValue(forKey: tenantID), let index = stale.index { uplink?.disconnect(index: index) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: unshare)
        process.arguments = ["--net", "--", "cat"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw RuntimeError("cannot make a network namespace for tenant \(tenantID): \(unshare): \(error.localizedDescription)")
        }
        let path = "/proc/\(process.processIdentifier)/ns/net"
        // `unshare` enters its new namespace just after it starts: wait until the path shows it.
        let own = NetworkNamespace.own
        let deadline = ContinuousClock.now + .seconds(5)
        while NetworkNamespace.inode(path) == own, process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        guard process.isRunning, NetworkNamespace.inode(path) != own else {
            process.terminate()
            throw RuntimeError(
                "cannot make a network namespace for tenant \(tenantID): `unshare --net` \(process.isRunning ? "did not enter one" : "exited with status \(process.terminationStatus)") (it needs CAP_SYS_ADMIN)"
            )
        }
        do {
            try await NetworkNamespace.inside(path) { try NetworkNamespace.bringLoopbackUp() }
        } catch {
            process.terminate()
            throw RuntimeError("the network namespace for tenant \(tenantID) has no loopback: \(error)")
        }
        var namespace = Namespace(tenantID: tenantID, path: path)
        var index: Int?
        if let uplink {
            let taken = Set(holders.values.compactMap(\.index))
            guard let free = (1...254).first(where: { !taken.contains($0) && !uplink.inUse($0) }) else {
                process.terminate()
                throw RuntimeError("no room for tenant \(tenantID)'s network: every /24 of \(uplink.subnet) is taken on this host")
            }
            do {
                try TenantUplink.enableForwarding()
                try uplink.connect(index: free, holder: process.processIdentifier, namespace: path)
            } catch {
                process.terminate()
                throw RuntimeError("cannot connect tenant \(tenantID)'s network namespace to the host: \(error)")
            }
            index = free
            namespace.address = uplink.namespaceAddress(free)
        }
        holders[tenantID] = Holder(process: process, input: input, namespace: namespace, index: index)
        logger.info(
            "Made the tenant's network namespace",
            metadata: [
                "tenant.id": "\(tenantID)", "holder.pid": "\(process.processIdentifier)", "address": "\(namespace.address ?? "loopback only")",
            ])
        return namespace
    }

    /// Ends every holder and removes the uplinks and the firewall table (the agent stops;
    /// containers were stopped first).
    public func removeAll() {
        for holder in holders.values {
            try? holder.input.fileHandleForWriting.close()
            holder.process.terminate()
            if let index = holder.index { uplink?.disconnect(index: index) }
        }
        holders.removeAll()
        policies.removeAll()
        if written != nil { uplink?.removeFirewall() }
        written = nil
    }
}
