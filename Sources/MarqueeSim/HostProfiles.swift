import MarqueeCore

/// The realistic mix of operating systems, kernels, runtimes and agents in the field.
///
/// Later fault scenarios key on these exact strings (e.g. a scheduler regression on kernel
/// `6.1.0-18-amd64` with containerd `1.7.13`), so changing them changes scenarios.
enum HostProfiles {
    struct OperatingSystem {
        let name: String
        let version: String
        let kernels: [(String, Double)]
        let runtimes: [((String, String), Double)]
    }

    static let operatingSystems: [(OperatingSystem, Double)] = [
        (
            OperatingSystem(
                name: "Ubuntu", version: "22.04",
                kernels: [("5.15.0-105-generic", 2), ("5.15.0-119-generic", 3), ("5.15.0-125-generic", 2)],
                runtimes: [(("containerd", "1.6.33"), 3), (("containerd", "1.7.13"), 4), (("containerd", "1.7.22"), 2)]
            ), 30
        ),
        (
            OperatingSystem(
                name: "Ubuntu", version: "24.04",
                kernels: [("6.8.0-45-generic", 2), ("6.8.0-49-generic", 3), ("6.8.0-51-generic", 2)],
                runtimes: [(("containerd", "1.7.22"), 4), (("containerd", "2.0.0"), 3), (("podman", "4.9.4"), 1)]
            ), 30
        ),
        (
            OperatingSystem(
                name: "Debian", version: "12",
                kernels: [("6.1.0-18-amd64", 3), ("6.1.0-21-amd64", 2), ("6.1.0-25-amd64", 2)],
                runtimes: [(("containerd", "1.6.33"), 2), (("containerd", "1.7.13"), 4), (("podman", "4.3.1"), 1)]
            ), 25
        ),
        (
            OperatingSystem(
                name: "RHEL", version: "9.4",
                kernels: [("5.14.0-427.13.1.el9_4.x86_64", 3), ("5.14.0-427.42.1.el9_4.x86_64", 2)],
                runtimes: [(("podman", "4.9.4"), 4), (("podman", "5.2.2"), 1)]
            ), 10
        ),
        (
            OperatingSystem(
                name: "RHEL", version: "9.5",
                kernels: [("5.14.0-503.11.1.el9_5.x86_64", 1)],
                runtimes: [(("podman", "5.2.2"), 3), (("containerd", "2.0.0"), 1)]
            ), 5
        ),
    ]

    static let agentVersions: [(String, Double)] = [("1.3.2", 1), ("1.4.0", 3), ("1.4.1", 6)]

    /// (cores, memory GiB, disk GB) hardware generations.
    static let hardware: [((Int, Int64, Int64), Double)] = [((8, 16, 512), 3), ((8, 32, 1000), 4), ((16, 64, 2000), 2)]

    static let statuses: [(HostStatus, Double)] = [
        (.online, 960), (.degraded, 15), (.offline, 15), (.cordoned, 5), (.upgrading, 3), (.pending, 2),
    ]
}
