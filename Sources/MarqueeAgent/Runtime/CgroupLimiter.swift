import Foundation
import MarqueeCore

/// Applies CPU and memory limits to a process through cgroups: v2 (`cpu.max`, `memory.max`) or v1
/// (`cpu.cfs_quota_us`, `memory.limit_in_bytes`), whichever the host has writable, under a
/// `marquee` group. Where neither is writable, says why; the container runs without limits.
public struct CgroupLimiter: Sendable {
    public enum Mode: Sendable, Equatable {
        case v2(root: String)
        case v1(cpu: String, memory: String)
        case unavailable(reason: String)
    }

    public let mode: Mode

    public init(root: String = "/sys/fs/cgroup") {
        mode = Self.detect(root: root)
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

    /// Puts `pid` in a group limited to `resources`; returns a note when limits are not enforced.
    public func apply(pid: Int32, id: String, resources: ResourceRequest) -> String? {
        guard resources.cpu > 0 || resources.memoryBytes > 0 else { return nil }
        let name = Self.groupName(id)
        do {
            switch mode {
            case .unavailable(let reason):
                return "CPU and memory limits not enforced: \(reason)"
            case .v2(let root):
                let group = "\(root)/\(name)"
                try FileManager.default.createDirectory(atPath: group, withIntermediateDirectories: true)
                if resources.cpu > 0 { try write("\(Int(resources.cpu * 100_000)) 100000", to: "\(group)/cpu.max") }
                if resources.memoryBytes > 0 { try write("\(resources.memoryBytes)", to: "\(group)/memory.max") }
                try write("\(pid)", to: "\(group)/cgroup.procs")
            case .v1(let cpuRoot, let memoryRoot):
                if resources.cpu > 0 {
                    let group = "\(cpuRoot)/\(name)"
                    try FileManager.default.createDirectory(atPath: group, withIntermediateDirectories: true)
                    try write("100000", to: "\(group)/cpu.cfs_period_us")
                    try write("\(Int(resources.cpu * 100_000))", to: "\(group)/cpu.cfs_quota_us")
                    try write("\(pid)", to: "\(group)/cgroup.procs")
                }
                if resources.memoryBytes > 0 {
                    let group = "\(memoryRoot)/\(name)"
                    try FileManager.default.createDirectory(atPath: group, withIntermediateDirectories: true)
                    try write("\(resources.memoryBytes)", to: "\(group)/memory.limit_in_bytes")
                    try write("\(pid)", to: "\(group)/cgroup.procs")
                }
            }
            return nil
        } catch {
            return "CPU and memory limits not enforced: \(error.localizedDescription)"
        }
    }

    /// The limits as the kernel holds them for `id`, for checks and the host panel: (cpu quota µs, memory bytes).
    public func readLimits(id: String) -> (cpuQuota: Int?, memoryBytes: Int64?) {
        let name = Self.groupName(id)
        func read(_ path: String) -> String? {
            (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        switch mode {
        case .v2(let root):
            let cpu = read("\(root)/\(name)/cpu.max")?.split(separator: " ").first.flatMap { Int($0) }
            return (cpu, read("\(root)/\(name)/memory.max").flatMap { Int64($0) })
        case .v1(let cpuRoot, let memoryRoot):
            return (
                read("\(cpuRoot)/\(name)/cpu.cfs_quota_us").flatMap { Int($0) },
                read("\(memoryRoot)/\(name)/memory.limit_in_bytes").flatMap { Int64($0) }
            )
        case .unavailable:
            return (nil, nil)
        }
    }

    /// Removes the container's groups once its process is gone.
    public func remove(id: String) {
        let name = Self.groupName(id)
        switch mode {
        case .v2(let root): rmdir("\(root)/\(name)")
        case .v1(let cpuRoot, let memoryRoot):
            rmdir("\(cpuRoot)/\(name)")
            rmdir("\(memoryRoot)/\(name)")
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
