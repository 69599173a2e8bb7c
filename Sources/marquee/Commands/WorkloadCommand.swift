import ArgumentParser
import Foundation
import Logging
import MarqueeTower

/// `marquee workload http --port N [--latency MS]`: a tiny real workload to deploy and probe.
struct WorkloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workload",
        abstract: "Built-in test workloads for end-to-end tests and demos.",
        subcommands: [HTTP.self]
    )

    struct HTTP: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "http", abstract: "Serve GET /health and GET / on 127.0.0.1:PORT (or --address), logging each request on stdout.")

        @Option(help: "Port to listen on.")
        var port: Int

        @Option(help: "Address to listen on (0.0.0.0: every address, for a container that publishes a port).")
        var address = "127.0.0.1"

        @Option(help: "Delay every answer by this many milliseconds (a slow container).")
        var latency: Int = 0

        func validate() throws {
            guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1…65535") }
            guard latency >= 0 else { throw ValidationError("--latency must be at least 0") }
        }

        func run() async throws {
            var logger = Logger(label: "marquee.workload")
            logger.logLevel = .warning
            try await TestWorkload.run(address: address, port: port, latency: .milliseconds(latency), logger: logger)
        }
    }
}
