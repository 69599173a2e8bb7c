import Foundation
import MarqueeCore

/// Reads this machine's real facts: kernel (`uname`), OS (`/etc/os-release`), container runtime,
/// CPU, memory, disk, and a serial number.
public struct HostFactsCollector: Sendable {
    /// The agent's data directory (where a generated serial is kept when DMI has none).
    public let dataDirectory: String
    /// Overrides the reported hostname (several agents on one test machine).
    public let hostnameOverride: String?

    public init(dataDirectory: String, hostnameOverride: String? = nil) {
        self.dataDirectory = dataDirectory
        self.hostnameOverride = hostnameOverride
    }

    public func collect() -> HostFacts {
        let os = Self.osRelease()
        let runtime = Self.containerRuntime()
        return HostFacts(
            hostname: hostnameOverride ?? ProcessInfo.processInfo.hostName, serialNumber: serialNumber(),
            osName: os.name, osVersion: os.version, kernelRelease: Self.kernelRelease(), runtimeName: runtime.name,
            runtimeVersion: runtime.version, agentVersion: MarqueeVersion.current, cpuCores: ProcessInfo.processInfo.activeProcessorCount,
            memoryBytes: Int64(ProcessInfo.processInfo.physicalMemory), diskBytes: Self.diskBytes())
    }

    /// `uname -r`.
    static func kernelRelease() -> String {
        var name = utsname()
        guard uname(&name) == 0 else { return "unknown" }
        return withUnsafeBytes(of: &name.release) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// `NAME` and `VERSION_ID` from `/etc/os-release`, e.g. (`Debian GNU/Linux`, `12`).
    static func osRelease(path: String = "/etc/os-release") -> (name: String, version: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return ("Linux", "unknown") }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            var value = String(line[line.index(after: equals)...])
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
            values[String(line[..<equals])] = value
        }
        return (values["NAME"] ?? values["ID"] ?? "Linux", values["VERSION_ID"] ?? "unknown")
    }

    /// The first installed runtime among containerd, podman and docker, with its version; else `none`.
    static func containerRuntime() -> (name: String, version: String) {
        for (name, arguments) in [("containerd", ["--version"]), ("podman", ["--version"]), ("docker", ["--version"])] {
            guard let path = executable(name), let output = run(path, arguments) else { continue }
            let version = output.firstMatch(of: /(\d+\.\d+(\.\d+)?)/).map { String($0.1) } ?? "unknown"
            return (name, version)
        }
        return ("none", "")
    }

    private static func executable(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin:/usr/sbin:/sbin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private static func run(_ path: String, _ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    /// Size of the root filesystem in bytes.
    static func diskBytes() -> Int64 {
        var stats = statvfs()
        guard statvfs("/", &stats) == 0 else { return 0 }
        return Int64(stats.f_blocks) * Int64(stats.f_frsize)
    }

    /// DMI product serial when readable and meaningful; else an id generated once and kept in the data directory.
    func serialNumber() -> String {
        if hostnameOverride == nil,
            let dmi = try? String(contentsOfFile: "/sys/class/dmi/id/product_serial", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines),
            !dmi.isEmpty, !["0", "None", "Not Specified", "To be filled by O.E.M."].contains(dmi)
        {
            return dmi
        }
        let path = "\(dataDirectory)/serial"
        if let saved = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !saved.isEmpty {
            return saved
        }
        let generated = "MQGEN-" + UUID().uuidString.prefix(13).replacingOccurrences(of: "-", with: "")
        try? FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try? (generated + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return generated
    }
}
