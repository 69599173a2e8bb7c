import Foundation

/// Where a container or host sits: container → service → app; container → host → kernel, runtime
/// (+ version), OS, agent; and back: the other containers on the host, and everything in the
/// fleet that shares its runtime version, its kernel release, or both.
public struct Topology: Codable, Sendable, Equatable {
    /// The container asked about (nil when the subject was a host).
    public var container: Node?
    public var host: HostNode
    /// Every container on the host.
    public var onHost: [Node]
    /// The fleet that shares the host's runtime + version, kernel release, and both.
    public var shared: [Shared]

    public init(container: Node?, host: HostNode, onHost: [Node], shared: [Shared]) {
        self.container = container
        self.host = host
        self.onHost = onHost
        self.shared = shared
    }

    /// A container instance with its place in its application.
    public struct Node: Codable, Sendable, Equatable {
        public var id: String
        public var app: String
        public var service: String
        public var version: String
        public var tenant: String
        public var state: ContainerInstance.State
        /// The runtime's id for the running instance (a pid for the process driver).
        public var runtimeInstance: String
        public var hostID: String
        public var siteID: String

        public init(_ container: ContainerInstance, siteID: String) {
            id = container.id
            app = container.app
            service = container.service
            version = container.version
            tenant = container.tenantID
            state = container.state
            runtimeInstance = container.runtimeInstanceID
            hostID = container.hostID
            self.siteID = siteID
        }
    }

    /// A host with what its containers run on.
    public struct HostNode: Codable, Sendable, Equatable {
        public var id: String
        public var hostname: String
        public var status: HostStatus
        public var siteID: String
        public var siteName: String
        public var country: String
        public var kernel: String
        /// `containerd 1.7.13`.
        public var runtime: String
        /// `Debian GNU/Linux 12`.
        public var os: String
        public var agentVersion: String
        public var lastSeen: Date?

        public init(_ host: EdgeHost, site: Site?) {
            id = host.id
            hostname = host.hostname
            status = host.status
            siteID = host.siteID
            siteName = site?.name ?? host.siteID
            country = site?.country ?? ""
            kernel = host.kernelRelease
            runtime = host.runtimeDescription
            os = host.osDescription
            agentVersion = host.agentVersion
            lastSeen = host.lastSeen
        }
    }

    /// Hosts and containers across the fleet that share one of this host's attributes.
    public struct Shared: Codable, Sendable, Equatable {
        public enum Attribute: String, Codable, Sendable, CaseIterable {
            case runtime
            case kernel
            case runtimeAndKernel = "runtime+kernel"
        }

        public var attribute: Attribute
        /// `containerd 1.7.13`, `6.1.0-18-amd64`, `containerd 1.7.13 on 6.1.0-18-amd64`.
        public var value: String
        public var hosts: Int
        public var sites: Int
        public var containers: Int
        /// The first containers (by id), at most the query's limit.
        public var examples: [Node]

        public init(attribute: Attribute, value: String, hosts: Int, sites: Int, containers: Int, examples: [Node]) {
            self.attribute = attribute
            self.value = value
            self.hosts = hosts
            self.sites = sites
            self.containers = containers
            self.examples = examples
        }
    }
}
