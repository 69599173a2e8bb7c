import Foundation
import Hummingbird
import Logging

/// A tiny HTTP workload for end-to-end tests and demos (`marquee workload http`): something real
/// for the process driver to run and for probes to check.
public enum TestWorkload {
    /// Serves `GET /health` (`ok`) and `GET /` (a greeting with the container id) on `address`:`port`,
    /// each answer delayed by `latency`, and logs every request on stdout.
    public static func run(address: String = "127.0.0.1", port: Int, latency: Duration, logger: Logger) async throws {
        try await http(address: address, port: port, latency: latency, logger: logger).runService()
    }

    /// One unbuffered line on stdout (the agent captures it as the container's output).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func http(address: String = "127.0.0.1", port: Int, latency: Duration, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        let container = ProcessInfo.processInfo.environment["MARQUEE_CONTAINER_ID"] ?? "local"
        router.get("health") { request, _ in
            try await Task.sleep(for: latency)
            say("GET /health 200 (\(container))")
            return "ok\n"
        }
        router.get("/") { _, _ in
            try await Task.sleep(for: latency)
            say("GET / 200 (\(container))")
            return "hello from marquee workload \(container)\n"
        }
        return Application(
            router: router, configuration: .init(address: .hostname(address, port: port), serverName: "marquee-workload"),
            onServerRunning: { _ in say("marquee workload listening on \(address):\(port)") }, logger: logger)
    }
}
