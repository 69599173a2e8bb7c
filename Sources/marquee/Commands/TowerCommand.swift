import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MarqueeCore
import MarqueeTower

/// `marquee tower`: the control plane's HTTP server over the fleet database, and its TLS setup.
struct TowerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tower",
        abstract: "Run the control plane (REST/JSON under /v1, /healthz) over the fleet database.",
        subcommands: [TowerServeCommand.self, TowerInitTLSCommand.self],
        defaultSubcommand: TowerServeCommand.self
    )
}

/// `marquee tower [serve]`: the control plane's HTTP(S) server.
struct TowerServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the control plane (the default: 'marquee tower' alone runs this).",
        discussion: """
            On first start the tower creates an admin token in 'admin.token' beside the database (mode 0600) and prints its \
            path, never the token. CLI verbs and the console use it with --tower URL (or MARQUEE_TOWER). \
            Off loopback the tower serves only TLS: --tls-cert and --tls-key (marquee tower init-tls creates a private CA and \
            a certificate); agents and clients pin the CA with --tower-ca.
            """
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(help: "Address and port to listen on.")
    var listen = "127.0.0.1:7443"

    @Option(help: "Seconds between agent heartbeats.")
    var heartbeatInterval = 10

    @Option(help: "Missed heartbeats after which a host is offline.")
    var missedHeartbeats = 3

    @Option(help: ArgumentHelp("PEM certificate (chain) to serve TLS with.", valueName: "path"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("PEM private key of --tls-cert (mode 0600).", valueName: "path"))
    var tlsKey: String?

    private var address: (host: String, port: Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65_535).contains(port)
        else { return nil }
        let host = String(listen[..<colon])
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    func validate() throws {
        guard address != nil else { throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:7443, got '\(listen)'") }
        guard heartbeatInterval >= 1 else { throw ValidationError("--heartbeat-interval must be at least 1 second") }
        guard missedHeartbeats >= 1 else { throw ValidationError("--missed-heartbeats must be at least 1") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("give --tls-cert and --tls-key together") }
        if tlsCert == nil, let host = address?.host, !LoopbackAddress.contains(host) {
            throw ValidationError(TowerTLSError.plainHTTPOffLoopback(host: host).description)
        }
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.tower")
        let (database, store) = try global.openFleet(create: true)
        let tokenPath = AdminToken.path(besideDatabase: database.path)
        let (token, created) = try AdminToken.loadOrCreate(at: tokenPath)
        let (host, port) = address ?? ("127.0.0.1", 7443)
        let tls = try tlsCert.map { try TowerTLS(certificatePath: $0, keyPath: tlsKey ?? "") }
        if tls == nil {
            logger.warning("Serving plain HTTP on loopback only; serve TLS with --tls-cert/--tls-key (marquee tower init-tls) for remote agents")
        }
        let api = LocalFleetAPI(inventory: store, events: store)
        let lifecycle = HostLifecycle(
            store: store, heartbeatInterval: .seconds(heartbeatInterval), missedHeartbeats: missedHeartbeats, shedding: .tower)
        let masterKey = try MasterKey.load(
            at: MasterKey.path(besideDatabase: database.path), environment: ProcessInfo.processInfo.environment, create: true)
        let application = try Tower.application(
            api: api, lifecycle: lifecycle, adminToken: token, masterKey: masterKey, host: host, port: port, tls: tls,
            logger: logger
        ) { bound in
            // Unbuffered: scripts and tests read the address as soon as the tower listens.
            let lines =
                "Tower listening on \(tls == nil ? "http" : "https")://\(host):\(bound)  (database \(database.path))\n"
                + (tls.map { "TLS certificate for \($0.names.joined(separator: ", ")), valid until \($0.notValidAfter)\n" } ?? "")
                + "Admin token \(created ? "created" : "in") \(tokenPath)\n"
            Output.writeStandardOutput(Data(lines.utf8))
        }
        try await application.runService()
    }
}
