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

    /// What one probe run found.
    public struct Outcome: Sendable, Equatable {
        /// From sending the check to its answer or failure.
        public var latencyMilliseconds: Double
        /// `nil` when the check passed; otherwise what failed, in words for the rollout's reason.
        public var failure: String?
        /// Short status: `HTTP 200`, `connected`, `exit 0`, or the failure.
        public var status: String
    }

    /// `nil` when the check passed; otherwise what failed, in words for the rollout's reason.
    public func check(_ probe: ProbeSpec, namespace: String? = nil) async -> String? {
        await measure(probe, namespace: namespace).failure
    }

    /// Runs the check once and times it.
    ///
    /// - Parameter namespace: the container's network namespace (`/proc/PID/ns/net`) when it is not
    ///   the host's: the check then connects from inside it.
    public func measure(_ probe: ProbeSpec, namespace: String? = nil) async -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        let (failure, status) = if let namespace { await run(probe, inside: namespace) } else { await run(probe) }
        let elapsed = clock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        return Outcome(latencyMilliseconds: milliseconds, failure: failure, status: status)
    }

    private func run(_ probe: ProbeSpec) async -> (failure: String?, status: String) {
        switch probe.check {
        case .http(let path, let port):
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path.hasPrefix("/") ? path : "/" + path)")
            request.method = .GET
            do {
                let response = try await client.execute(request, timeout: .milliseconds(Int64(probe.timeout * 1000)))
                _ = try? await response.body.collect(upTo: 64 << 10)
                let code = response.status.code
                return ((200..<400).contains(code) ? nil : "HTTP \(code) from \(path)", "HTTP \(code)")
            } catch {
                let reason = Self.describe(error)
                return ("GET \(path) on port \(port): \(reason)", reason)
            }
        case .tcp(let port):
            return Self.connect(port: port, timeout: probe.timeout)
                ? (nil, "connected") : ("nothing accepts connections on port \(port)", "refused")
        case .exec(let command):
            let failure = await Self.run(command, timeout: probe.timeout)
            return (failure, failure == nil ? "exit 0" : Self.shortStatus(failure!))
        }
    }

    /// The same checks from inside a network namespace: HTTP and TCP on a socket made there, a
    /// command through `nsenter`.
    private func run(_ probe: ProbeSpec, inside namespace: String) async -> (failure: String?, status: String) {
        let timeout = probe.timeout
        switch probe.check {
        case .http(let path, let port):
            let target = path.hasPrefix("/") ? path : "/" + path
            do {
                return try await NetworkNamespace.inside(namespace) {
                    guard let socket = NetworkNamespace.connect(port: port, timeout: timeout) else {
                        return ("GET \(target) on port \(port): connection refused", "connection refused")
                    }
                    defer { close(socket) }
                    switch NetworkNamespace.httpStatus(on: socket, port: port, path: target, timeout: timeout) {
                    case .success(let code): return ((200..<400).contains(code) ? nil : "HTTP \(code) from \(target)", "HTTP \(code)")
                    case .failure(let failure): return ("GET \(target) on port \(port): \(failure)", failure.description)
                    }
                }
            } catch {
                return ("\(error)", "no namespace")
            }
        case .tcp(let port):
            let connected =
                (try? await NetworkNamespace.inside(namespace) { Self.connect(port: port, timeout: timeout) }) ?? false
            return connected ? (nil, "connected") : ("nothing accepts connections on port \(port)", "refused")
        case .exec(let command):
            let failure = await Self.run(["nsenter", "--net=\(namespace)", "--", "/usr/bin/env"] + command, timeout: timeout)
            return (failure, failure == nil ? "exit 0" : Self.shortStatus(failure!))
        }
    }

    /// `exit N` from "`cmd` exited with status N", else the failure text.
    static func shortStatus(_ failure: String) -> String {
        if let range = failure.range(of: "exited with status ") { return "exit " + failure[range.upperBound...] }
        if failure.contains("did not finish") { return "timed out" }
        return failure.count > 40 ? String(failure.prefix(40)) + "…" : failure
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("connectTimeout") || text.contains("deadlineExceeded") { return "timed out" }
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }

    /// A TCP connect to 127.0.0.1:`port` within `timeout`, in the calling thread's network namespace.
    static func connect(port: Int, timeout: TimeInterval) -> Bool {
        NetworkNamespace.connect(port: port, timeout: timeout).map { socket in close(socket) } != nil
    }

    /// Runs `command`; `nil` on exit status 0 within `timeout`.
    static func run(_ command: [String], timeout: TimeInterval) async -> String? {
        let shown = command.joined(separator: " ")
        let process: ChildProcess
        do { process = try ChildProcess(executable: "/usr/bin/env", arguments: command) } catch { return "cannot run `\(shown)`: \(error.reason)" }
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning {
            await process.stop(grace: .seconds(1))
            return "`\(shown)` did not finish within \(Int(timeout))s"
        }
        switch process.termination {
        case .exited(0): return nil
        case .exited(let status): return "`\(shown)` exited with status \(status)"
        case .signalled(let signal): return "`\(shown)` was killed by signal \(signal)"
        case nil: return "`\(shown)` did not finish within \(Int(timeout))s"
        }
    }
}
