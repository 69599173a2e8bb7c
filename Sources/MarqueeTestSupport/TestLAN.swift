import Foundation

/// A theater LAN for network tests: a named network namespace (`ip netns`) with a veth pair to
/// the host, `NET.2` inside and `NET.1` on the host. Needs root and iproute2.
public struct TestLAN: Sendable {
    public let name: String
    public let network: String
    /// The host's address on this LAN.
    public var host: String { "\(network).1" }
    /// The LAN's own address (a server or client there).
    public var address: String { "\(network).2" }
    /// The namespace's file, for `setns`/`nsenter --net`.
    public var path: String { "/run/netns/\(name)" }

    /// Whether this machine can run such tests: root, iproute2, and nftables that the kernel takes.
    public static let available = getuid() == 0 && (try? run(["ip", "-o", "link"])) != nil && (try? run(["nft", "list", "tables"])) != nil

    /// - Parameters:
    ///   - name: at most 9 characters (interface names are `NAMEh` and `NAMEn`).
    ///   - network: the first three octets (`10.150.250`).
    public init(name: String, network: String) throws {
        self.name = name
        self.network = network
        try Self.run(["ip", "netns", "add", name])
        do {
            try Self.run(["ip", "link", "add", "\(name)h", "type", "veth", "peer", "name", "\(name)n"])
            try Self.run(["ip", "link", "set", "\(name)n", "netns", name])
            try Self.run(["ip", "addr", "add", "\(network).1/24", "dev", "\(name)h"])
            try Self.run(["ip", "link", "set", "\(name)h", "up"])
            try Self.run(["ip", "-n", name, "addr", "add", "\(network).2/24", "dev", "\(name)n"])
            try Self.run(["ip", "-n", name, "link", "set", "\(name)n", "up"])
            try Self.run(["ip", "-n", name, "link", "set", "lo", "up"])
            try Self.run(["ip", "-n", name, "route", "add", "default", "via", "\(network).1"])
        } catch {
            remove()
            throw error
        }
    }

    public func remove() {
        _ = try? Self.run(["ip", "link", "del", "\(name)h"])
        _ = try? Self.run(["ip", "netns", "del", name])
    }

    /// What a bash client says of each `ADDRESS PORT`: `ADDRESS:PORT open` or `closed` (3 s at most each).
    public static func connectScript(_ targets: [(String, Int)]) -> String {
        targets.map { address, port in
            "(timeout 3 bash -c 'echo > /dev/tcp/\(address)/\(port)') 2>/dev/null && echo '\(address):\(port) open' || echo '\(address):\(port) closed'"
        }.joined(separator: "; ")
    }

    /// What `connectScript` says when run on this LAN.
    public func connect(_ targets: [(String, Int)]) throws -> [String] {
        try Self.run(["ip", "netns", "exec", name, "bash", "-c", Self.connectScript(targets)]).split(separator: "\n").map(String.init)
    }

    /// Runs a short command; throws with its output when it fails.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "`\(arguments.joined(separator: " "))`: \(output)") }
        return output
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }
}
