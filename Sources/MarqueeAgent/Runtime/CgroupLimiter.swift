import Foundation
import MarqueeCore

/// Applies CPU and memory limits to a process through cgroups: v2 (`cpu.max`, `memory.max`) or v1
/// (`cpu.cfs_quota_us`, `memory.limit_in_bytes`), whichever the host has writable, in
/// `marquee/TENANT/CONTAINER`: the container's group holds it to its own request, the tenant's
/// group to the tenant's quota at the site. Where neither is writable, says why; the container runs
/// without limits.
public struct CgroupLimiter: Sendable {
    public enum Mode: Sendable, Equatable {
        case v2(root: String)
        case v1(cpu: String, memory: String)
        case unavailable(reason: String)
    }

    public let mode: Mode
    /// Names this agent's tenant groups apart from other agents' on the same machine (tests run
    /// several); empty on a host with one agent.
    public let scope: String

    /// - Parameter scope: see ``scope``; `marquee agent` passes a short hash of its data directory.
    public init(root: String = "/sys/fs/cgroup", scope: String = "") {
        mode = Self.detect(root: root)
        self.scope = scope
    }

    static func detect(root: String) -> Mode {
        let files = FileManager.default
        let controllers = (try? String(contentsOfFile: "\(root)/cgroup.controllers", encoding: .utf8)) ?? ""
        if controllers.contains("memory"), controllers.contains("cpu"), files.isWritableFile(atPath: root) {
            return .v2(root: "\(root)/marquee")
        }
        let cpu = "\(root)/cpu"
        let memory = "\(root)/memory"
        if files.isWritableFile(atPath: cpu), files.isWritableFile(atPath: memory) {
            return .v1(cpu: "\(cpu)/marquee", memory: "\(memory)/marquee")
        }
        return .unavailable(reason: "no writable cgroup v2 or v1 cpu+memory hierarchy under \(root)")
    }

    static func groupName(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
    }

    /// The groups of container `id` of `tenantID`, relative to the `marquee` group: the tenant's
    /// (`SCOPE.HOST.TENANT`; the host is the first part of the container id) and the container's
    /// inside it.
    public func groups(id: String, tenantID: String) -> (tenant: String, container: String) {
        let host = id.split(separator: "/").first.map(String.init) ?? ""
        let tenant = Self.groupName([scope, host, tenantID].filter { !$0.isEmpty }.joined(separator: "."))
        return (tenant, "\(tenant)/\(Self.groupName(id))")
    }

    /// Puts `pid` in its container's group, limited to `resources`, inside its tenant's group,
    /// limited to `tenantLimit` (the tenant's quota at this site: a second fence around all of the
    /// tenant's containers on this host); returns a note when limits are not enforced.
    public func apply(pid: Int32, id: String, tenantID: String, resources: ResourceRequest, tenantLimit: ResourceRequest? = nil) -> String? {
        let tenant = tenantLimit ?? ResourceRequest()
        guard resources.cpu > 0 || resources.memoryBytes > 0 || tenant.cpu > 0 || tenant.memoryBytes > 0 else { return nil }
        let (tenantName, name) = groups(id: id, tenantID: tenantID)
        let files = FileManager.default
        do {
            switch mode {
            case .unavailable(let reason):
                return "CPU and memory limits not enforced: \(reason)"
            case .v2(let root):
                let tenantGroup = "\(root)/\(tenantName)"
                let group = "\(root)/\(name)"
                try files.createDirectory(atPath: group, withIntermediateDirectories: true)
                // Children get the controllers only when each parent hands them down.
                for parent in [root, tenantGroup] { try? write("+cpu +memory", to: "\(parent)/cgroup.subtree_control") }
                try write(tenant.cpu > 0 ? "\(Int(tenant.cpu * 100_000)) 100000" : "max 100000", to: "\(tenantGroup)/cpu.max")
                try write(tenant.memoryBytes > 0 ? "\(tenant.memoryBytes)" : "max", to: "\(tenantGroup)/memory.max")
                if resources.cpu > 0 { try write("\(Int(resources.cpu * 100_000)) 100000", to: "\(group)/cpu.max") }
                if resources.memoryBytes > 0 { try write("\(resources.memoryBytes)", to: "\(group)/memory.max") }
                try write("\(pid)", to: "\(group)/cgroup.procs")
            case .v1(let cpuRoot, let memoryRoot):
                let cpuTenant = "\(cpuRoot)/\(tenantName)"
                let memoryTenant = "\(memoryRoot)/\(tenantName)"
                try files.createDirectory(atPath: "\(cpuRoot)/\(name)", withIntermediateDirectories: true)
                try files.createDirectory(atPath: "\(memoryRoot)/\(name)", withIntermediateDirectories: true)
                try write("100000", to: "\(cpuTenant)/cpu.cfs_period_us")
                try write(tenant.cpu > 0 ? "\(Int(tenant.cpu * 100_000))" : "-1", to: "\(cpuTenant)/cpu.cfs_quota_us")
                try write(tenant.memoryBytes > 0 ? "\(tenant.memoryBytes)" : "-1", to: "\(memoryTenant)/memory.limit_in_bytes")
                if resources.cpu > 0 {
                    try write("100000", to: "\(cpuRoot)/\(name)/cpu.cfs_period_us")
                    try write("\(Int(resources.cpu * 100_000))", to: "\(cpuRoot)/\(name)/cpu.cfs_quota_us")
                }
                if resources.memoryBytes > 0 { try write("\(resources.memoryBytes)", to: "\(memoryRoot)/\(name)/memory.limit_in_bytes") }
                try write("\(pid)", to: "\(cpuRoot)/\(name)/cgroup.procs")
                try write("\(pid)", to: "\(memoryRoot)/\(name)/cgroup.procs")
            }
            return nil
        } catch {
            return "CPU and memory limits not enforced: \(error.localizedDescription)"
        }
    }

    /// The limits as the kernel holds them for a group (one of ``groups(id:tenantID:)``): (cpu
    /// quota µs, memory bytes); nil where unlimited or absent.
    public func readLimits(group name: String) -> (cpuQuota: Int?, memoryBytes: Int64?) {
        func read(_ path: String) -> String? {
            (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // Unlimited reads as -1 or a huge number (v1) or `max` (v2).
        func limit<T: FixedWidthInteger>(_ text: String?) -> T? { text.flatMap { T($0) }.flatMap { $0 > 0 && $0 < T.max / 2 ? $0 : nil } }
        switch mode {
        case .v2(let root):
            return (limit(read("\(root)/\(name)/cpu.max")?.split(separator: " ").first.map(String.init)), limit(read("\(root)/\(name)/memory.max")))
        case .v1(let cpuRoot, let memoryRoot):
            return (limit(read("\(cpuRoot)/\(name)/cpu.cfs_quota_us")), limit(read("\(memoryRoot)/\(name)/memory.limit_in_bytes")))
        case .unavailable:
            return (nil, nil)
        }
    }

    /// The pids in a container's group (the memory one under v1).
    public func processes(tenantID: String, id: String) -> [Int32] {
        let name = groups(id: id, tenantID: tenantID).container
        let path: String
        switch mode {
        case .v2(let root): path = "\(root)/\(name)/cgroup.procs"
        case .v1(_, let memoryRoot): path = "\(memoryRoot)/\(name)/cgroup.procs"
        case .unavailable: return []
        }
        return ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
    }

    /// Removes the container's groups once its process is gone (and the tenant's, once empty).
    public func remove(id: String, tenantID: String) {
        let (tenant, name) = groups(id: id, tenantID: tenantID)
        switch mode {
        case .v2(let root):
            rmdir("\(root)/\(name)")
            rmdir("\(root)/\(tenant)")
        case .v1(let cpuRoot, let memoryRoot):
            for root in [cpuRoot, memoryRoot] {
                rmdir("\(root)/\(name)")
                rmdir("\(root)/\(tenant)")
            }
        case .unavailable: break
        }
    }

    private func write(_ text: String, to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw RuntimeError("cannot open \(path) for writing")
        }
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(text.utf8))
    }
}
