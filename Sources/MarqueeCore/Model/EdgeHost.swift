import Foundation

/// One Linux edge host in a theater's cluster.
///
/// Facts (OS, kernel, runtime, agent) are what the host last reported when calling home.
public struct EdgeHost: Codable, Sendable, Equatable, Hashable, Identifiable {
    /// Stable id, e.g. `se-sto-012-h1`.
    public var id: String
    /// Hardware serial number, unique in the fleet; used for pre-registration.
    public var serialNumber: String
    /// Host name as reported by the host.
    public var hostname: String
    /// The site (theater) the host belongs to.
    public var siteID: String
    /// The cluster within the site.
    public var clusterID: String
    /// Operating system name, e.g. `Ubuntu`.
    public var osName: String
    /// Operating system version, e.g. `22.04`.
    public var osVersion: String
    /// Kernel release as printed by `uname -r`, e.g. `6.1.0-18-amd64`.
    public var kernelRelease: String
    /// Container runtime name, e.g. `containerd` or `podman`.
    public var runtimeName: String
    /// Container runtime version, e.g. `1.7.13`.
    public var runtimeVersion: String
    /// Version of the Marquee agent on the host.
    public var agentVersion: String
    /// Logical CPU cores.
    public var cpuCores: Int
    /// Memory in bytes.
    public var memoryBytes: Int64
    /// Disk capacity in bytes.
    public var diskBytes: Int64
    /// Current status.
    public var status: HostStatus
    /// When the host last called home; `nil` if it never has.
    public var lastSeen: Date?

    public init(
        id: String, serialNumber: String, hostname: String, siteID: String, clusterID: String,
        osName: String, osVersion: String, kernelRelease: String, runtimeName: String, runtimeVersion: String,
        agentVersion: String, cpuCores: Int, memoryBytes: Int64, diskBytes: Int64, status: HostStatus, lastSeen: Date?
    ) {
        self.id = id
        self.serialNumber = serialNumber
        self.hostname = hostname
        self.siteID = siteID
        self.clusterID = clusterID
        self.osName = osName
        self.osVersion = osVersion
        self.kernelRelease = kernelRelease
        self.runtimeName = runtimeName
        self.runtimeVersion = runtimeVersion
        self.agentVersion = agentVersion
        self.cpuCores = cpuCores
        self.memoryBytes = memoryBytes
        self.diskBytes = diskBytes
        self.status = status
        self.lastSeen = lastSeen
    }

    /// `Ubuntu 22.04`.
    public var osDescription: String { "\(osName) \(osVersion)" }
    /// `containerd 1.7.13`.
    public var runtimeDescription: String { "\(runtimeName) \(runtimeVersion)" }
}
