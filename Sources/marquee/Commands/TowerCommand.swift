import ArgumentParser
import Foundation
import Hummingbird
import Logging
import MarqueeCore
import MarqueeTower

/// `marquee tower`: the control plane's HTTP server over the fleet database.
struct TowerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tower",
        abstract: "Run the control plane (REST/JSON under /v1, /healthz) over the fleet database.",
        discussion: """
            On first start the tower creates an admin token in 'admin.token' beside the database (mode 0600) and prints its \
            path, never the token. CLI verbs and the console use it with --tower URL (or MARQUEE_TOWER).
            """
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(help: "Address and port to listen on.")
    var listen = "127.0.0.1:7443"

    @Option(help: "Seconds between agent heartbeats.")
    var heartbeatInterval = 10

    @Option(help: "Missed heartbeats after which a host is offline.")
    var missedHeartbeats = 3

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
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.tower")
        let (database, store) = try global.openFleet(create: true)
        let tokenPath = AdminToken.path(besideDatabase: database.path)
        let (token, created) = try AdminToken.loadOrCreate(at: tokenPath)
        let (host, port) = address ?? ("127.0.0.1", 7443)
        let api = LocalFleetAPI(inventory: store, events: store)
        let lifecycle = HostLifecycle(
            store: store, heartbeatInterval: .seconds(heartbeatInterval), missedHeartbeats: missedHeartbeats, shedding: .tower)
        let masterKey = try MasterKey.load(
            at: MasterKey.path(besideDatabase: database.path), environment: ProcessInfo.processInfo.environment, create: true)
        let application = Tower.application(
            api: api, lifecycle: lifecycle, adminToken: token, masterKey: masterKey, host: host, port: port, logger: logger
        ) { bound in
            // Unbuffered: scripts and tests read the address as soon as the tower listens.
            let lines =
                "Tower listening on http://\(host):\(bound)  (database \(database.path))\n"
                + "Admin token \(created ? "created" : "in") \(tokenPath)\n"
            FileHandle.standardOutput.write(Data(lines.utf8))
        }
        try await application.runService()
    }
}
