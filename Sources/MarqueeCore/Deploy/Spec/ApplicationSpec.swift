import Foundation

/// `kind: Application`: what runs — one version of an application and its services.
public struct ApplicationSpec: Codable, Sendable, Equatable {
    public var name: String
    public var version: String
    /// The owning tenant's id.
    public var tenant: String
    public var services: [ServiceSpec]
    public var network: NetworkPolicy
    /// Handles data that must not run on a site under lockdown: its containers stop there at once.
    public var sensitive: Bool = false
    /// Where the document came from (`file:line`), for messages.
    public var source: String

    public init(name: String, version: String, tenant: String, services: [ServiceSpec], network: NetworkPolicy = NetworkPolicy(), source: String) {
        self.name = name
        self.version = version
        self.tenant = tenant
        self.services = services
        self.network = network
        self.source = source
    }

    /// Total resources one site needs for every replica of every container.
    public var resourcesPerSite: ResourceRequest {
        services.reduce(ResourceRequest()) { total, service in
            service.containers.reduce(total) { $0 + $1.resources.scaled(by: service.replicas) }
        }
    }

    /// Every `${secret:VAULT/NAME/KEY}` reference in env and args.
    public var secretReferences: [SpecTemplate.SecretReference] {
        services.flatMap { service in
            service.containers.flatMap { container in
                container.secretReferences
            }
        }
    }
}

extension ApplicationSpec {
    private enum CodingKeys: String, CodingKey {
        case name, version, tenant, services, network, sensitive, source
    }

    /// Specs stored before `sensitive` existed decode as not sensitive.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        version = try container.decode(String.self, forKey: .version)
        tenant = try container.decode(String.self, forKey: .tenant)
        services = try container.decode([ServiceSpec].self, forKey: .services)
        network = try container.decode(NetworkPolicy.self, forKey: .network)
        sensitive = try container.decodeIfPresent(Bool.self, forKey: .sensitive) ?? false
        source = try container.decode(String.self, forKey: .source)
    }
}

/// One service of an application: a set of containers run `replicas` times per site.
public struct ServiceSpec: Codable, Sendable, Equatable {
    public var name: String
    public var replicas: Int
    public var containers: [ContainerSpec]

    public init(name: String, replicas: Int, containers: [ContainerSpec]) {
        self.name = name
        self.replicas = replicas
        self.containers = containers
    }
}

/// One container of a service.
public struct ContainerSpec: Codable, Sendable, Equatable {
    public var name: String
    public var image: String
    public var command: [String]
    public var args: [String]
    /// Environment; values may hold `${site.labels.KEY}` and `${secret:VAULT/NAME/KEY}`.
    public var env: [String: String]
    public var ports: [Int]
    public var volumes: [VolumeSpec]
    public var resources: ResourceRequest
    public var probes: [ProbeSpec]
    /// The app's network policy, as the tower hands it to the agent with the container (absent in
    /// an application spec, where it is the app's `network`).
    public var network: NetworkPolicy?

    public init(
        name: String, image: String, command: [String] = [], args: [String] = [], env: [String: String] = [:], ports: [Int] = [],
        volumes: [VolumeSpec] = [], resources: ResourceRequest = ResourceRequest(), probes: [ProbeSpec] = [], network: NetworkPolicy? = nil
    ) {
        self.network = network
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.env = env
        self.ports = ports
        self.volumes = volumes
        self.resources = resources
        self.probes = probes
    }
}

/// A named volume mounted at a path, with a size.
public struct VolumeSpec: Codable, Sendable, Equatable {
    public var name: String
    public var path: String
    public var sizeBytes: Int64?

    public init(name: String, path: String, sizeBytes: Int64? = nil) {
        self.name = name
        self.path = path
        self.sizeBytes = sizeBytes
    }
}

/// CPU (cores), memory and storage (bytes) a container asks for; also used as sums and capacity.
public struct ResourceRequest: Codable, Sendable, Equatable {
    public var cpu: Double
    public var memoryBytes: Int64
    public var storageBytes: Int64

    public init(cpu: Double = 0, memoryBytes: Int64 = 0, storageBytes: Int64 = 0) {
        self.cpu = cpu
        self.memoryBytes = memoryBytes
        self.storageBytes = storageBytes
    }

    public static func + (lhs: ResourceRequest, rhs: ResourceRequest) -> ResourceRequest {
        ResourceRequest(cpu: lhs.cpu + rhs.cpu, memoryBytes: lhs.memoryBytes + rhs.memoryBytes, storageBytes: lhs.storageBytes + rhs.storageBytes)
    }

    public static func - (lhs: ResourceRequest, rhs: ResourceRequest) -> ResourceRequest {
        ResourceRequest(cpu: lhs.cpu - rhs.cpu, memoryBytes: lhs.memoryBytes - rhs.memoryBytes, storageBytes: lhs.storageBytes - rhs.storageBytes)
    }

    public func scaled(by factor: Int) -> ResourceRequest {
        ResourceRequest(cpu: cpu * Double(factor), memoryBytes: memoryBytes * Int64(factor), storageBytes: storageBytes * Int64(factor))
    }

    /// Whether `self` fits within `capacity` on every dimension.
    public func fits(in capacity: ResourceRequest) -> Bool {
        cpu <= capacity.cpu + 1e-9 && memoryBytes <= capacity.memoryBytes && storageBytes <= capacity.storageBytes
    }
}

/// A startup, liveness or readiness probe of a container.
public struct ProbeSpec: Codable, Sendable, Equatable {
    public enum Purpose: String, Codable, Sendable, CaseIterable {
        case startup, liveness, readiness
        /// A synthetic check from the application's `checks:` (e.g. GET the kiosk's home page every
        /// 10 s): measured and reported as its own series, never restarts or unreadies the container.
        case check

        /// The purposes a container's `probes:` may name.
        public static let containerProbes: [Purpose] = [.startup, .liveness, .readiness]
    }

    /// What the probe does.
    public enum Check: Codable, Sendable, Equatable {
        case http(path: String, port: Int)
        case tcp(port: Int)
        case exec(command: [String])
    }

    public var purpose: Purpose
    public var check: Check
    public var interval: TimeInterval
    public var timeout: TimeInterval
    public var failureThreshold: Int
    /// A synthetic check's name (`nil` for container probes).
    public var name: String?

    public init(
        purpose: Purpose, check: Check, interval: TimeInterval = 10, timeout: TimeInterval = 2, failureThreshold: Int = 3, name: String? = nil
    ) {
        self.name = name
        self.purpose = purpose
        self.check = check
        self.interval = interval
        self.timeout = timeout
        self.failureThreshold = failureThreshold
    }
}

/// Network policy: ports open to the site's LAN and the outbound allow-list (default deny).
public struct NetworkPolicy: Codable, Sendable, Equatable {
    public var ingress: [Int]
    /// `host:port` or `host` entries the app may reach; everything else is denied.
    public var outbound: [String]

    public init(ingress: [Int] = [], outbound: [String] = []) {
        self.ingress = ingress
        self.outbound = outbound
    }
}

extension ProbeSpec {
    /// What a sample of this probe is reported as: the purpose, or `check:NAME` for a synthetic check.
    public var sampleName: String {
        purpose == .check ? "check:\(name ?? "unnamed")" : purpose.rawValue
    }
}

extension ContainerSpec {
    /// Every `${secret:VAULT/NAME/KEY}` reference in env, command and args.
    public var secretReferences: [SpecTemplate.SecretReference] {
        (env.keys.sorted().compactMap { env[$0] } + command + args).flatMap(SpecTemplate.secretReferences(in:))
    }
}
