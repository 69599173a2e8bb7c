import Foundation
import MarqueeCore

/// What a driver needs to start one container.
public struct LaunchRequest: Sendable, Equatable {
    /// The container's id at the tower (`host/app/service-N[/container]`).
    public var id: String
    public var tenantID: String
    public var image: String
    /// The command and its arguments (the spec's `command` followed by `args`).
    public var arguments: [String]
    public var environment: [String: String]
    public var resources: ResourceRequest
    /// The tenant's quota at this site (CPU and memory; 0: no limit), for the tenant's parent group.
    public var tenantLimit: ResourceRequest?
    /// The app's network policy (ingress ports, outbound allow-list), for drivers that enforce it.
    public var network: NetworkPolicy

    public init(
        id: String, tenantID: String, image: String, arguments: [String], environment: [String: String], resources: ResourceRequest,
        tenantLimit: ResourceRequest? = nil, network: NetworkPolicy = NetworkPolicy()
    ) {
        self.tenantLimit = tenantLimit
        self.network = network
        self.id = id
        self.tenantID = tenantID
        self.image = image
        self.arguments = arguments
        self.environment = environment
        self.resources = resources
    }
}

/// How a container ended.
public enum RuntimeExit: Sendable, Equatable, CustomStringConvertible {
    case status(Int32)
    case signal(Int32)

    public var description: String {
        switch self {
        case .status(let code): "exited with status \(code)"
        case .signal(let signal): "killed by signal \(signal)"
        }
    }
}

/// A started container as the driver knows it.
public struct RuntimeHandle: Sendable, Equatable {
    /// The runtime's own id (the pid for the process driver).
    public var runtimeID: String
    /// Limits that could not be enforced, said plainly (nil when they were).
    public var limitsNote: String?
}

/// A failure to start a container, with the reason an operator reads in the rollout.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Runs containers on a host: the process driver (real), the simulated one, later podman.
public protocol RuntimeDriver: Sendable {
    /// `process`, `podman`, ….
    var name: String { get }
    func start(_ request: LaunchRequest) async throws(RuntimeError) -> RuntimeHandle
    /// `nil` while it runs; how it ended once it has.
    func exit(of runtimeID: String) async -> RuntimeExit?
    /// Stops it: a polite signal, then a kill after `grace`.
    func stop(_ runtimeID: String, grace: Duration) async
    /// The last lines it wrote (stdout and stderr), oldest first.
    func recentOutput(of runtimeID: String) async -> [OutputLine]
    /// The network namespace it runs in (`/proc/PID/ns/net`), when not the host's: the agent's
    /// probes enter it to reach the container's ports.
    func networkNamespace(of runtimeID: String) async -> String?
    /// Releases what the driver set up on the host beyond its containers (their networks), once
    /// every container is stopped: the agent is shutting down.
    func release() async
}

extension RuntimeDriver {
    public func networkNamespace(of runtimeID: String) async -> String? { nil }
    public func release() async {}
}

/// One line a container wrote.
public struct OutputLine: Sendable, Equatable {
    public enum Stream: String, Sendable { case stdout, stderr }
    public var time: Date
    public var stream: Stream
    public var text: String
    /// 1, 2, 3 … per running instance: a reader that remembers the last one it took sees what it missed.
    public var sequence: Int = 0
}
