/// The keys an enrollment body's host facts may hold (for ``JSONKeyScanner``), built once. The
/// heartbeat body, read thousands of times a second, has its own one-pass reader (``HeartbeatBody``).
enum AgentBodyKeys {
    static let facts: Set<String> = [
        "hostname", "serialNumber", "osName", "osVersion", "kernelRelease", "runtimeName", "runtimeVersion", "agentVersion",
        "cpuCores", "memoryBytes", "diskBytes",
    ]
}
