import ArgumentParser
import Crypto
import Foundation
import Hummingbird
import Logging
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

        @Option(help: "Host log sources to read, comma-separated: kmsg, journal, syslog (or none). Each is used when this host has it.")
        var logSources = "kmsg,journal,syslog"

        @Option(help: "A syslog file to follow (repeatable; default /var/log/syslog and /var/log/messages).")
        var syslogFile: [String] = []

        /// The host log sources the options ask for.
        func hostLogSources() throws -> [any HostLogSource] {
            let names = Set(logSources.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0 != "none" })
            let unknown = names.subtracting(["kmsg", "journal", "syslog"])
            guard unknown.isEmpty else {
                throw ValidationError("--log-sources: unknown source \(unknown.sorted().joined(separator: ", ")) (kmsg, journal, syslog or none)")
            }
            var sources: [any HostLogSource] = []
            if names.contains("kmsg") { sources.append(KernelLogSource()) }
            if names.contains("journal") { sources.append(JournalLogSource(skipKernel: names.contains("kmsg"))) }
            if names.contains("syslog") {
                for path in syslogFile.isEmpty ? ["/var/log/syslog", "/var/log/messages"] : syslogFile {
                    sources.append(SyslogFileSource(path: path))
                }
            }
            return sources
        }

        @Option(
            help: ArgumentHelp(
                "Executable that installs an upgrade plan's targets (read from MARQUEE_UPGRADE_OS, _KERNEL, _RUNTIME, _AGENT) and usually reboots.",
                valueName: "path"))
        var upgradeCommand: String?

        @Option(help: "Minutes the upgrade command may run before it is stopped.")
        var upgradeTimeoutMinutes = 30

        @Option(
            name: .customLong("tower-ca"),
            help: ArgumentHelp(
                "The tower's CA certificate to pin (ca.pem of 'marquee tower init-tls'); kept in the data directory.",
                discussion: "Default: $MARQUEE_TOWER_CA, else the copy kept from an earlier start."))
        var towerCA: String?

        @Flag(
            inversion: .prefixedNo,
            help: ArgumentHelp(
                "Run each tenant's containers in that tenant's own network namespace (default: when the host can).",
                discussion:
                    "Needs root, util-linux, iproute2 and nftables. Each namespace gets a veth pair to the host and an address in --tenant-subnet; the agent's nftables table lets through only what the tenant's apps declare: their network.ingress ports, published on the host's addresses, and their network.outbound destinations (plus DNS to the host's nameservers). Another tenant, and the host itself, are out of reach. Without either flag the agent separates tenants when it can and warns when it cannot; --tenant-networks refuses to start without it, --no-tenant-networks runs every container in the host's network."
            ))
        var tenantNetworks: Bool?

        @Option(help: ArgumentHelp("The /16 tenant namespaces are numbered in with --tenant-networks (one /24 each).", valueName: "A.B.0.0/16"))
        var tenantSubnet = "10.213.0.0/16"

        @Option(
            help: ArgumentHelp(
                "Answer this theater's other hosts on ADDRESS:PORT (port 0 picks one).",
                discussion:
                    "Each host then holds a 2-of-n share of the site key in memory, and a restarted host rebuilds the key from two peers' shares instead of asking the tower.",
                valueName: "address:port"))
        var peerListen: String?

        @Option(help: ArgumentHelp("The URL peers reach the listener at (default: http://ADDRESS:PORT of --peer-listen).", valueName: "url"))
        var peerAdvertise: String?

        func validate() throws {
            guard let peerListen else { return }
            let (address, _) = try Self.address(peerListen)
            if ["0.0.0.0", "::", "[::]"].contains(address), peerAdvertise == nil {
                throw ValidationError(
                    "--peer-listen \(peerListen) listens on every address: say where peers reach it with --peer-advertise http://LAN-ADDRESS:PORT")
            }
        }

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            guard let url = tower ?? environment["MARQUEE_TOWER"] else {
                throw ValidationError("give the tower's URL with --tower or MARQUEE_TOWER")
            }
            var options = try GlobalOptions.parse(["--log-level", logLevel])
            options.output = .table
            let logger = options.makeLogger("marquee.agent")
            let directory = AgentCommand.dataDirectory(dataDir)
            options.towerCA = try PinnedTowerCA.resolve(given: towerCA ?? environment["MARQUEE_TOWER_CA"], dataDirectory: directory)
            // Several agents on one machine (tests, a lab) keep their tenants' groups apart.
            let scope = SHA256.hash(data: Data(URL(fileURLWithPath: directory).standardizedFileURL.path.utf8)).prefix(4)
                .map { String(format: "%02x", $0) }.joined()
            let limiter = CgroupLimiter(scope: scope)
            if case .unavailable(let reason) = limiter.mode {
                logger.warning("Container CPU and memory limits will not be enforced", metadata: ["reason": "\(reason)"])
            }
            var networks: TenantNetworks?
            // What the agent says of tenant separation, here and in its first lines at the tower.
            var separation = (severity: LogSeverity.warning, text: "shared with the host's network")
            switch tenantNetworks {
            case true:
                do {
                    networks = try await Self.tenantNetworks(subnet: tenantSubnet, scope: scope, logger: logger)
                } catch {
                    throw ValidationError("--tenant-networks: \(error)")
                }
            case nil where getuid() == 0:
                do {
                    networks = try await Self.tenantNetworks(subnet: tenantSubnet, scope: scope, logger: logger)
                } catch {
                    separation.text += " (\(error))"
                }
            case nil:
                separation.text += " (the agent does not run as root)"
            case false:
                separation = (.notice, "shared with the host's network (--no-tenant-networks)")
            }
            if networks != nil { separation = (.info, "each tenant in its own network namespace, numbered in \(tenantSubnet)") }
            logger.log(level: separation.severity == .warning ? .warning : .notice, "Tenant networks: \(separation.text)")
            let driver = ProcessDriver(logDirectory: directory + "/logs", limiter: limiter, networks: networks, logger: logger)
            let hostLogs = HostLogCollector(sources: try hostLogSources(), clock: SystemClock(), logger: logger)
            await hostLogs.start()
            await hostLogs.accept(
                [
                    TimedLogEntry(
                        time: Date(),
                        entry: LogEntry(severity: separation.severity, layer: .agent, source: "agent", message: "tenant networks: \(separation.text)")
                    )
                ], from: "agent")
            defer { Task { await hostLogs.stop() } }
            let tower = try options.towerClient(url)
            let credentials = FileCredentialStore(directory: directory)
            let vault = EdgeVault(
                dataDirectory: directory, logger: logger,
                askPeer: { peer, request in try await TowerClient(baseURL: peer.endpoint, timeoutSeconds: 3).askPeerForShare(request) }
            ) {
                guard let credential = credentials.load() else { throw EdgeAgent.AgentError.notEnrolled(dataDirectory: directory) }
                return try await tower.unseal(credential: credential)
            }
            let supervisor = ContainerSupervisor(
                driver: driver, host: CombinedReporter([SystemReporter(diskPath: directory), hostLogs]), secrets: vault, clock: SystemClock(),
                logger: logger)
            // With the process driver, containers are the agent's children: stop them when it stops.
            let stop = AgentShutdown.install { await supervisor.stopAll() }
            defer { stop.forEach { $0.cancel() } }
            let refresh = FactsRefresh()
            let upgrades = UpgradeRunner(
                command: upgradeCommand, timeout: .seconds(upgradeTimeoutMinutes * 60), dataDirectory: directory, logs: hostLogs,
                clock: SystemClock(), logger: logger, finished: { refresh.request() })
            let agent = try EdgeAgent(
                tower: tower, enrollToken: enrollToken ?? environment["MARQUEE_ENROLL_TOKEN"],
                site: site, collector: HostFactsCollector(dataDirectory: directory, hostnameOverride: hostname), supervisor: supervisor,
                upgrades: upgrades, factsRefresh: refresh, logger: logger)
            guard let peerListen else {
                try await agent.run()
                return
            }
            let (address, port) = try Self.address(peerListen)
            let (ports, portContinuation) = AsyncStream<Int>.makeStream()
            let listener = PeerListener.application(vault: vault, host: address, port: port, logger: logger) { portContinuation.yield($0) }
            let advertise = peerAdvertise
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await listener.run() }
                group.addTask {
                    var iterator = ports.makeAsyncIterator()
                    guard let bound = await iterator.next() else { return }
                    let endpoint = advertise ?? "http://\(address):\(bound)"
                    try await PeerRegistrar.register(
                        endpoint: endpoint, vault: vault, tower: tower, credentials: credentials, dataDirectory: directory, logger: logger)
                }
                try await agent.run()
                group.cancelAll()
            }
        }

        /// Tenant namespaces with their uplinks, once this host has shown it can make them.
        static func tenantNetworks(subnet: String, scope: String, logger: Logger) async throws(RuntimeError) -> TenantNetworks {
            let uplink = try TenantUplink(subnet: subnet, scope: scope)
            try await TenantNetworks.check(uplink: uplink, logger: logger)
            return TenantNetworks(uplink: uplink, logger: logger)
        }

        /// `ADDRESS:PORT` of `--peer-listen`.
        static func address(_ text: String) throws -> (String, Int) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port),
                colon > text.startIndex
            else { throw ValidationError("--peer-listen takes ADDRESS:PORT, e.g. 0.0.0.0:7444, not '\(text)'") }
            return (String(text[..<colon]), port)
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

/// SIGTERM and SIGINT stop the agent's containers, then the agent.
enum AgentShutdown {
    /// Returns the signal sources; they must stay alive while the agent runs.
    static func install(_ cleanup: @escaping @Sendable () async -> Void) -> [any DispatchSourceSignal] {
        signal(SIGTERM, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let sources = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        for source in sources {
            source.setEventHandler {
                Task {
                    await cleanup()
                    Foundation.exit(0)
                }
            }
            source.resume()
        }
        return sources
    }
}
