/// What a host reports about itself when it calls home.
public struct HostFacts: Codable, Sendable, Equatable, Hashable {
    public var hostname: String
    /// DMI product serial, or an id the agent generated and keeps in its data directory.
    public var serialNumber: String
    public var osName: String
    public var osVersion: String
    public var kernelRelease: String
    /// `containerd`, `podman`, `docker`, or `none`.
    public var runtimeName: String
    public var runtimeVersion: String
    public var agentVersion: String
    public var cpuCores: Int
    public var memoryBytes: Int64
    public var diskBytes: Int64

    public init(
        hostname: String, serialNumber: String, osName: String, osVersion: String, kernelRelease: String, runtimeName: String,
        runtimeVersion: String, agentVersion: String, cpuCores: Int, memoryBytes: Int64, diskBytes: Int64
    ) {
        self.hostname = hostname
        self.serialNumber = serialNumber
        self.osName = osName
        self.osVersion = osVersion
        self.kernelRelease = kernelRelease
        self.runtimeName = runtimeName
        self.runtimeVersion = runtimeVersion
        self.agentVersion = agentVersion
        self.cpuCores = cpuCores
        self.memoryBytes = memoryBytes
        self.diskBytes = diskBytes
    }
}

extension EdgeHost {
    /// The facts this host last reported.
    public var facts: HostFacts {
        HostFacts(
            hostname: hostname, serialNumber: serialNumber, osName: osName, osVersion: osVersion, kernelRelease: kernelRelease,
            runtimeName: runtimeName, runtimeVersion: runtimeVersion, agentVersion: agentVersion, cpuCores: cpuCores,
            memoryBytes: memoryBytes, diskBytes: diskBytes)
    }

    /// Takes newly reported facts (everything but the serial, which identifies the host).
    public mutating func apply(_ facts: HostFacts) {
        hostname = facts.hostname
        osName = facts.osName
        osVersion = facts.osVersion
        kernelRelease = facts.kernelRelease
        runtimeName = facts.runtimeName
        runtimeVersion = facts.runtimeVersion
        agentVersion = facts.agentVersion
        cpuCores = facts.cpuCores
        memoryBytes = facts.memoryBytes
        diskBytes = facts.diskBytes
    }
}
