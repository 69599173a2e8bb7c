import AsyncHTTPClient
import Foundation
import MarqueeCore
import NIOCore
import NIOHTTP1

/// Runs startup, liveness and readiness checks against a container on this host.
public struct ProbeChecker: Sendable {
    let client: HTTPClient

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    /// `nil` when the check passed; otherwise what failed, in words for the rollout's reason.
    public func check(_ probe: ProbeSpec) async -> String? {
        switch probe.check {
        case .http(let path, let port):
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path.hasPrefix("/") ? path : "/" + path)")
            request.method = .GET
            do {
                let response = try await client.execute(request, timeout: .milliseconds(Int64(probe.timeout * 1000)))
                _ = try? await response.body.collect(upTo: 64 << 10)
                return (200..<400).contains(response.status.code) ? nil : "HTTP \(response.status.code) from \(path)"
            } catch {
                return "GET \(path) on port \(port): \(Self.describe(error))"
            }
        case .tcp(let port):
            return Self.connect(port: port, timeout: probe.timeout) ? nil : "nothing accepts connections on port \(port)"
        case .exec(let command):
            return await Self.run(command, timeout: probe.timeout)
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("connectTimeout") || text.contains("deadlineExceeded") { return "timed out" }
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }

    /// A TCP connect to 127.0.0.1:`port` within `timeout`.
    static func connect(port: Int, timeout: TimeInterval) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var descriptor = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
        guard poll(&descriptor, 1, Int32(timeout * 1000)) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0
    }

    /// Runs `command`; `nil` on exit status 0 within `timeout`.
    static func run(_ command: [String], timeout: TimeInterval) async -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return "cannot run `\(command.joined(separator: " "))`: \(error.localizedDescription)" }
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            process.terminate()
            return "`\(command.joined(separator: " "))` did not finish within \(Int(timeout))s"
        }
        return process.terminationStatus == 0 ? nil : "`\(command.joined(separator: " "))` exited with status \(process.terminationStatus)"
    }
}
