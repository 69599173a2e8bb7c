import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import MarqueeCore
import MarqueeRemote
import MarqueeTower
import Synchronization

/// Output format of every verb.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json

    /// The format asked for on a raw command line (used when parsing itself failed).
    static func requested(in arguments: [String]) -> OutputFormat {
        for (index, argument) in arguments.enumerated() {
            if argument == "--output=json" { return .json }
            if argument == "--output", index + 1 < arguments.count, arguments[index + 1] == "json" { return .json }
        }
        return .table
    }
}

/// Prints the plain-HTTP warning at most once per process.
enum PlainTextWarning {
    private static let printed = Mutex(false)

    static func once(_ message: String) {
        guard
            printed.withLock({ printed in
                defer { printed = true }
                return !printed
            })
        else { return }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// Options every verb shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Fleet database file.", discussion: "Default: $MARQUEE_DB, else $XDG_DATA_HOME/marquee/marquee.db."))
    var db: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Remote tower URL, e.g. http://127.0.0.1:7443.", discussion: "Default: $MARQUEE_TOWER; without one, the local database is used."))
    var tower: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Bearer token for the tower.", discussion: "Default: $MARQUEE_TOKEN, else the admin.token file beside the database."))
    var token: String?

    @Option(
        name: .customLong("tower-ca"),
        help: ArgumentHelp(
            "CA certificate to pin for an https tower (the ca.pem of 'marquee tower init-tls').",
            discussion: "Default: $MARQUEE_TOWER_CA; without one, the system's trusted roots."))
    var towerCA: String?

    @Option(name: .long, help: "Output format: table or json.")
    var output: OutputFormat = .table

    @Option(name: .customLong("log-level"), help: "Log level on stderr: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = ProcessInfo.processInfo.environment["MARQUEE_LOG_LEVEL"] ?? "warning"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    /// The database path after defaults and environment.
    var databasePath: String {
        DatabaseLocation.resolve(explicit: db, environment: ProcessInfo.processInfo.environment)
    }

    /// Sets up logging (once per process) and returns the command's logger.
    ///
    /// Logs go to stderr, except for full-screen commands (`logToFile`), which would garble the
    /// screen: they log to `$XDG_STATE_HOME/marquee/marquee.log`.
    func makeLogger(_ label: String, logToFile: Bool = false) -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .warning
        let file = logToFile ? LogFile.open(environment: ProcessInfo.processInfo.environment) : nil
        LoggingSystem.bootstrap { label in
            if let file {
                var handler = FileLogHandler(label: label, file: file)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }

    /// Opens the fleet database; read-only verbs pass `create: false` so a typo in `--db` is reported.
    func openFleet(create: Bool = false) throws -> (database: FleetDatabase, store: SQLiteFleetStore) {
        let database = try FleetDatabase.open(at: databasePath, create: create)
        return (database, SQLiteFleetStore(database))
    }

    /// The tower URL from `--tower` or `MARQUEE_TOWER`, if any.
    var towerURL: String? {
        tower ?? ProcessInfo.processInfo.environment["MARQUEE_TOWER"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The CA file to pin: `--tower-ca` or `MARQUEE_TOWER_CA`, if any.
    var towerCAPath: String? {
        towerCA ?? ProcessInfo.processInfo.environment["MARQUEE_TOWER_CA"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The HTTP client for the tower: pinned to `--tower-ca` when given. Warns once on stderr when
    /// `url` is plain HTTP beyond loopback.
    func towerHTTPClient(for url: String) throws -> HTTPClient {
        if let warning = TowerTrust.plainTextWarning(for: url) { PlainTextWarning.once(warning) }
        return try TowerTrust.client(for: url, pinning: towerCAPath)
    }

    /// The tower at `url` as every remote API, with the bearer token and the pinned CA.
    func remoteTower(_ url: String) throws -> HTTPFleetAPI {
        try HTTPFleetAPI(baseURL: url, token: bearerToken, client: towerHTTPClient(for: url))
    }

    /// A tower client for agent-side and token calls, with the pinned CA.
    func towerClient(_ url: String) throws -> TowerClient {
        try TowerClient(baseURL: url, client: towerHTTPClient(for: url))
    }

    /// The bearer token: `--token`, `MARQUEE_TOKEN`, or the tower's `admin.token` beside the database.
    var bearerToken: String? {
        let environment = ProcessInfo.processInfo.environment
        if let token { return token }
        if let token = environment["MARQUEE_TOKEN"], !token.isEmpty { return token }
        let path = environment["MARQUEE_TOKEN_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? AdminToken.path(besideDatabase: databasePath)
        return (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Operator actions: through the tower when one is given, else on the local database.
    func fleetActions() throws -> any FleetActions {
        if let towerURL { return try remoteTower(towerURL) }
        let store = try openFleet().store
        return AuditedFleetActions(base: LocalFleetActions(lifecycle: HostLifecycle(store: store)), audit: localAudit(store))
    }

    /// The audit trail for writes made straight on the local database.
    func localAudit(_ store: SQLiteFleetStore) -> LocalAudit {
        LocalAudit(store: store, actor: "\(OperatorIdentity.current()) (local database)")
    }

    /// The fleet API: HTTP to a remote tower when one is given, else the local database.
    func fleetAPI() throws -> any FleetAPI {
        if let towerURL {
            return try remoteTower(towerURL)
        }
        let store = try openFleet().store
        return LocalFleetAPI(inventory: store, events: store)
    }

    /// The deployment engine: through the tower when one is given, else on the local database
    /// (rollouts then advance while a tower or `marquee demo` runs on that database).
    func deploymentAPI() throws -> any DeploymentAPI {
        if let towerURL { return try remoteTower(towerURL) }
        let store = try openFleet().store
        let service = DeploymentService(
            store: store, clock: SystemClock(), logger: Logger(label: "marquee.deploy"), probes: LocalProbeAPI(store: store, clock: SystemClock())
        ) { hosts in
            _ = try await store.bumpDesiredRevision(hostIDs: hosts, at: Date())
        }
        return AuditedDeploymentAPI(base: LocalDeploymentAPI(service: service, store: store), audit: localAudit(store))
    }

    /// Infrastructure upgrades: through the tower when one is given, else on the local database
    /// (plans then advance while a tower or `marquee demo` runs on that database).
    func upgradeAPI() throws -> any UpgradeAPI {
        if let towerURL { return try remoteTower(towerURL) }
        let store = try openFleet().store
        let service = UpgradeService(
            store: store, clock: SystemClock(), heartbeat: 10, probes: LocalProbeAPI(store: store, clock: SystemClock()),
            logger: Logger(label: "marquee.upgrade")
        ) { hosts in
            _ = try await store.bumpDesiredRevision(hostIDs: hosts, at: Date())
        }
        return AuditedUpgradeAPI(base: service, audit: localAudit(store))
    }

    /// Probe queries: the tower's with `--tower`, else the local database's.
    func probeAPI() throws -> any ProbeAPI {
        if let towerURL { return try remoteTower(towerURL) }
        return LocalProbeAPI(store: try openFleet().store, clock: SystemClock())
    }

    /// Tenants, tokens and the audit trail: the tower's with `--tower` (as the token's
    /// principal), else the local database's as a platform admin named after the local user.
    func securityAPI() async throws -> any SecurityAPI {
        if let towerURL { return try remoteTower(towerURL) }
        let store = try openFleet().store
        let principal = try await localPrincipal(store)
        let service = SecurityService(store: store) { hosts in _ = try await store.bumpDesiredRevision(hostIDs: hosts, at: Date()) }
        return LocalSecurityAPI(service: service, principal: principal)
    }

    /// The secrets vault: the tower's with `--tower`, else the local database's with its
    /// `master.key` (or `MARQUEE_MASTER_KEY`), acting as a platform admin named after the local user.
    func secretsAPI() async throws -> any SecretsAPI {
        if let towerURL { return try remoteTower(towerURL) }
        let (database, store) = try openFleet()
        let master = try MasterKey.load(
            at: MasterKey.path(besideDatabase: database.path), environment: ProcessInfo.processInfo.environment, create: true)
        return LocalSecretsAPI(vault: SecretVault(store: store, master: master), principal: try await localPrincipal(store))
    }

    /// Who acts on a local database: a platform admin of the site provider, named after the local user.
    func localPrincipal(_ store: SQLiteFleetStore) async throws -> Principal {
        let provider = try await store.tenants().first { $0.kind == .siteProvider }?.id ?? "platform"
        return Principal(tokenID: "local", name: OperatorIdentity.current(), tenantID: provider, tenantKind: .siteProvider, role: .platformAdmin)
    }

    /// Log queries: the tower's with `--tower`, else the local database's.
    func logAPI() throws -> any LogAPI {
        if let towerURL { return try remoteTower(towerURL) }
        return LocalLogAPI(store: try openFleet().store, clock: SystemClock())
    }
}
