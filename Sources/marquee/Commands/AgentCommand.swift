import ArgumentParser
import Foundation
import MarqueeAgent
import MarqueeCore
import MarqueeRemote

/// `marquee agent`: the edge agent; calls home to the tower (outbound only).
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the edge agent: enroll with a site token, then heartbeat with this host's real facts."
    )

    @Option(help: "Tower URL, e.g. http://tower.example:7443 (default: $MARQUEE_TOWER).")
    var tower: String?

    @Option(help: "Site enrollment token (needed once; the credential is then kept in the data directory).")
    var enrollToken: String?

    @Option(help: "Data directory (credential, serial). Default: $XDG_DATA_HOME/marquee/agent.")
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
        let directory = dataDir ?? DatabaseLocation.dataDirectory(environment: environment) + "/agent"
        let agent = EdgeAgent(
            tower: try TowerClient(baseURL: url), enrollToken: enrollToken ?? environment["MARQUEE_ENROLL_TOKEN"],
            collector: HostFactsCollector(dataDirectory: directory, hostnameOverride: hostname), logger: logger)
        try await agent.run()
    }
}
