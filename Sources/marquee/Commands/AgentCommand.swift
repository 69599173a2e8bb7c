import ArgumentParser
import Foundation
import MarqueeAgent
import MarqueeCore
import MarqueeRemote

/// `marquee agent`: the edge agent; calls home to the tower (outbound only).
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the edge agent, or show what its outbox holds.",
        subcommands: [Run.self, Status.self],
        defaultSubcommand: Run.self
    )

    /// The agent's data directory after defaults.
    static func dataDirectory(_ explicit: String?) -> String {
        explicit ?? DatabaseLocation.dataDirectory(environment: ProcessInfo.processInfo.environment) + "/agent"
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enroll with a site token, then heartbeat with this host's real facts and report through the on-disk outbox."
        )

        @Option(help: "Tower URL, e.g. http://tower.example:7443 (default: $MARQUEE_TOWER).")
        var tower: String?

        @Option(help: "Site enrollment token (needed once; the credential is then kept in the data directory).")
        var enrollToken: String?

        @Option(help: "Without a token: the site to ask to join; the host waits until an operator approves it (or its serial was pre-registered).")
        var site: String?

        @Option(help: "Data directory (credential, serial, outbox.sqlite). Default: $XDG_DATA_HOME/marquee/agent.")
        var dataDir: String?

        @Option(help: "Report this hostname instead of the machine's (several agents on one machine).")
        var hostname: String?

        @Option(name: .customLong("log-level"), help: "Log level on stderr.")
        var logLevel = "info"

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            guard let url = tower ?? environment["MARQUEE_TOWER"] else {
                throw ValidationError("give the tower's URL with --tower or MARQUEE_TOWER")
            }
            var options = try GlobalOptions.parse(["--log-level", logLevel])
            options.output = .table
            let logger = options.makeLogger("marquee.agent")
            let directory = AgentCommand.dataDirectory(dataDir)
            let agent = try EdgeAgent(
                tower: try TowerClient(baseURL: url), enrollToken: enrollToken ?? environment["MARQUEE_ENROLL_TOKEN"],
                site: site, collector: HostFactsCollector(dataDirectory: directory, hostnameOverride: hostname), logger: logger)
            try await agent.run()
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the agent's outbox: last sequence, acknowledged, pending, dropped.")

        @Option(help: "Data directory. Default: $XDG_DATA_HOME/marquee/agent.")
        var dataDir: String?

        @Option(help: "Output format: table or json.")
        var output: OutputFormat = .table

        func run() async throws {
            let directory = AgentCommand.dataDirectory(dataDir)
            guard FileManager.default.fileExists(atPath: directory + "/outbox.sqlite") else {
                throw ValidationError("no agent outbox in \(directory); has the agent run there?")
            }
            let status = try await SQLiteOutbox(directory: directory).status()
            switch output {
            case .json: Output.printJSON(status)
            case .table:
                print("last sequence  \(status.lastSequence)")
                print("acknowledged   \(status.acknowledged)")
                print("pending        \(status.pending)")
                print("dropped        \(status.dropped)")
            }
        }
    }
}
