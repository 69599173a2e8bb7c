/// The keys an agent's request bodies may hold, per object path (for ``JSONKeyScanner``).
///
/// Built once: a busy tower checks thousands of heartbeats a second, and building these sets for
/// each one cost about 1 % of the tower.
enum AgentBodyKeys {
    static let facts: Set<String> = [
        "hostname", "serialNumber", "osName", "osVersion", "kernelRelease", "runtimeName", "runtimeVersion", "agentVersion",
        "cpuCores", "memoryBytes", "diskBytes",
    ]

    static let heartbeat: [String: Set<String>] = [
        "": ["facts", "batches"], "facts": facts, "batches": ["sequence", "createdAt", "records"],
        "batches.records": ["kind", "time", "container", "hostMetrics", "probe", "log"],
        "batches.records.log": ["severity", "layer", "source", "message", "container", "runtimeInstance"],
        "batches.records.probe": ["app", "service", "container", "probe", "latencyMilliseconds", "success", "status"],
        "batches.records.container": ["id", "state", "restarts", "version", "detail", "runtimeInstanceID"],
        "batches.records.hostMetrics": ["load1", "memoryAvailableBytes", "diskFreeBytes"],
    ]
}
