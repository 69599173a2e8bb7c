import Foundation
import Logging

/// One network namespace per tenant on this host, for the process driver (`marquee agent
/// --tenant-networks`).
///
/// A tenant's namespace is held open by a small holder process (`unshare --net -- cat`, reading a
/// pipe only the agent writes to: when the agent goes, the holder goes). Its containers run in it
/// through `nsenter --net=/proc/HOLDER/ns/net`, so they share a loopback with each other and with
/// nothing else: a port one tenant opens is not there for another tenant's containers, nor for the
/// host. The agent's own probes reach them by entering the namespace (``NetworkNamespace``).
///
/// What this does not give yet: a route out. A namespace has only its loopback, so these containers
/// reach neither the theater's LAN nor the internet; that needs a veth pair per tenant and the
/// host's forwarding rules (see docs/architecture.md).
public actor TenantNetworks {
    /// A tenant's namespace as a container start needs it.
    public struct Namespace: Sendable, Equatable {
        public var tenantID: String
        /// `/proc/PID/ns/net` of the holder.
        public var path: String
    }

    private struct Holder {
        var process: Process
        var input: Pipe
        var namespace: Namespace
    }

    private let unshare: String
    private let logger: Logger
    private var holders: [String: Holder] = [:]

    /// - Parameter unshare: the `unshare` binary (util-linux).
    public init(unshare: String = "/usr/bin/unshare", logger: Logger) {
        self.unshare = unshare
        self.logger = logger
    }

    /// Whether this host can give tenants namespaces: makes one, brings its loopback up, removes it.
    /// The error says what is missing (util-linux, privileges).
    public static func check(logger: Logger) async throws(RuntimeError) {
        let probe = TenantNetworks(logger: logger)
        _ = try await probe.namespace(for: "marquee-check")
        await probe.removeAll()
    }

    /// The tenant's namespace, made on first use.
    public func namespace(for tenantID: String) async throws(RuntimeError) -> Namespace {
        if let holder = holders[tenantID], holder.process.isRunning { return holder.namespace }
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
        let namespace = Namespace(tenantID: tenantID, path: path)
        holders[tenantID] = Holder(process: process, input: input, namespace: namespace)
        logger.info("Made the tenant's network namespace", metadata: ["tenant.id": "\(tenantID)", "holder.pid": "\(process.processIdentifier)"])
        return namespace
    }

    /// Ends every holder (the agent stops; containers were stopped first).
    public func removeAll() {
        for holder in holders.values {
            try? holder.input.fileHandleForWriting.close()
            holder.process.terminate()
        }
        holders.removeAll()
    }
}
