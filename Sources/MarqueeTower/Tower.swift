import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import MarqueeCore
import ServiceLifecycle

/// The control plane's HTTP server.
public enum Tower {
    /// Builds the tower application: `/healthz`, `/metrics` (Prometheus text) and the fleet API
    /// under `/v1` (bearer token required; agents use their own credential under `/v1/agent`).
    ///
    /// - Parameters:
    ///   - api: the fleet the tower serves.
    ///   - adminToken: the bootstrap admin token (a platform admin); API tokens (`marquee tokens
    ///     create`) are checked against the store.
    ///   - masterKey: unseals the secrets vault; without one, secret routes answer 503 `vault.sealed`.
    ///   - host: address to bind.
    ///   - port: port to bind (0 picks a free one; `onListening` receives it).
    ///   - lifecycle: enrollment and heartbeats; its silent hosts are swept offline every interval.
    ///   - rolloutInterval: how often rollouts advance (on `clock`).
    ///   - tls: serve HTTPS with this certificate; without it, plain HTTP (callers keep that to loopback).
    public static func application<
        Store: LifecycleStore & InventoryReading & RevisionObserving & DeploymentStore & ProbeStore & LogStore & EventLog & UpgradeStore
            & SecurityStore & SecretStore & SiteKeyStore & PeerDirectory
    >(
        api: some FleetAPI, lifecycle: HostLifecycle<Store>, adminToken: String, masterKey: MasterKey? = nil, host: String = "127.0.0.1",
        port: Int = 7443, sweepOffline: Bool = true, clock: any FleetClock = SystemClock(), rolloutInterval: Duration = .seconds(5),
        tls: TowerTLS? = nil, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let deployments = deploymentService(lifecycle: lifecycle, clock: clock, logger: logger)
        let upgrades = upgradeService(lifecycle: lifecycle, clock: clock, logger: logger)
        var services: [any Service] = [
            RolloutTickService(deployments: deployments, upgrades: upgrades, clock: clock, interval: rolloutInterval, logger: logger)
        ]
        if sweepOffline { services.append(OfflineSweepService(lifecycle: lifecycle, clock: clock, logger: logger)) }
        services.append(ProbeRetentionService(store: lifecycle.store, clock: clock, logger: logger))
        services.append(LogRetentionService(store: lifecycle.store, clock: clock, logger: logger))
        services.append(
            ProbeAlertService(probes: LocalProbeAPI(store: lifecycle.store, clock: clock), events: lifecycle.store, clock: clock, logger: logger))
        return Application(
            router: router(
                api: api, lifecycle: lifecycle, adminToken: adminToken, masterKey: masterKey, clock: clock, deployments: deployments,
                upgrades: upgrades),
            server: try tls?.serverBuilder() ?? .http1(),
            configuration: .init(address: .hostname(host, port: port), serverName: "marquee-tower"),
            services: services,
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) }, logger: logger)
    }

    /// The deployment engine on the lifecycle's store: placing containers wakes the hosts' agents.
    public static func deploymentService<Store: LifecycleStore & InventoryReading & DeploymentStore & ProbeStore>(
        lifecycle: HostLifecycle<Store>, clock: any FleetClock, logger: Logger
    ) -> DeploymentService {
        DeploymentService(store: lifecycle.store, clock: clock, logger: logger, probes: LocalProbeAPI(store: lifecycle.store, clock: clock)) {
            hosts in
            try await lifecycle.desiredStateChanged(hostIDs: hosts)
        }
    }

    /// The upgrade engine on the lifecycle's store: orders and uncordons wake the hosts' agents.
    public static func upgradeService<Store: LifecycleStore & InventoryReading & UpgradeStore & ProbeStore>(
        lifecycle: HostLifecycle<Store>, clock: any FleetClock, logger: Logger
    ) -> UpgradeService {
        UpgradeService(
            store: lifecycle.store, clock: clock, heartbeat: Double(lifecycle.heartbeatInterval.components.seconds),
            probes: LocalProbeAPI(store: lifecycle.store, clock: clock), logger: logger
        ) { hosts in
            try await lifecycle.desiredStateChanged(hostIDs: hosts)
        }
    }

    /// Every route of the tower. `docs/openapi.yaml` describes exactly these (a test compares them).
    ///
    /// Request bodies are limited to the context's `maxUploadSize` (2 MiB; a flushing agent sends at
    /// most 50 batches, ~100 KiB); larger ones are a 413 `body.too_large`.
    public static func router<
        Store: LifecycleStore & InventoryReading & RevisionObserving & DeploymentStore & ProbeStore & LogStore & UpgradeStore & SecurityStore
            & SecretStore & SiteKeyStore & PeerDirectory
    >(
        api: some FleetAPI, lifecycle: HostLifecycle<Store>, adminToken: String, masterKey: MasterKey? = nil, clock: any FleetClock = SystemClock(),
        deployments: DeploymentService? = nil, upgrades: UpgradeService? = nil
    ) -> Router<TowerRequestContext> {
        let deployments = deployments ?? deploymentService(lifecycle: lifecycle, clock: clock, logger: Logger(label: "marquee.deploy"))
        let upgrades = upgrades ?? upgradeService(lifecycle: lifecycle, clock: clock, logger: Logger(label: "marquee.upgrade"))
        _ = TowerMetrics.registry
        let router = Router(context: TowerRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        router.get("healthz") { _, _ in Payload(["status": "ok", "version": MarqueeVersion.current]) }
        router.get("v1/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: OpenAPISpec.yaml)))
        }
        router.get("metrics") { _, _ in
            TowerMetrics.setHostCounts(try await api.summary().hosts)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: TowerMetrics.exposition())))
        }
        let edgeSecrets = EdgeSecretDelivery(store: lifecycle.store, master: masterKey, clock: clock)
        let agents = AgentController(lifecycle: lifecycle, secrets: edgeSecrets, clock: clock)
        agents.addAgentRoutes(to: router.group("v1/agent"))
        let security = SecurityService(store: lifecycle.store, clock: clock) { hosts in try await lifecycle.desiredStateChanged(hostIDs: hosts) }
        let store = lifecycle.store
        let v1 = router.group("v1").add(
            middleware: AuthMiddleware(
                adminToken: adminToken, authenticate: { try await security.authenticate(secret: $0) },
                adminTenant: { try await store.tenants().first { $0.kind == .siteProvider }?.id ?? "platform" },
                audit: { try await security.record($0) }, clock: clock))
        let owned = OwnedApplications { tenantID in
            Set(try await store.applicationSpecs().filter { $0.tenant == tenantID }.map(\.name))
        }
        FleetController(api: api, owned: owned).addRoutes(to: v1)
        let changes = ChangeStream(api: api, revisions: lifecycle.store)
        v1.get("changes") { _, _ in try await changes.response() }
        agents.addOperatorRoutes(to: v1)
        DeploymentController(api: LocalDeploymentAPI(service: deployments, store: lifecycle.store)).addRoutes(to: v1)
        ProbeController(api: LocalProbeAPI(store: lifecycle.store, clock: clock), owned: owned).addRoutes(to: v1)
        LogController(api: LocalLogAPI(store: lifecycle.store, clock: clock)).addRoutes(to: v1)
        UpgradeController(api: upgrades).addRoutes(to: v1)
        SecurityController(security: security).addRoutes(to: v1)
        SecretsController(vault: SecretVault(store: store, master: masterKey, clock: clock)).addRoutes(to: v1)
        return router
    }
}

/// The tower's admin token: created at first start, kept in a 0600 file next to the database.
public enum AdminToken {
    /// Reads the token at `path`, creating it (random, 256 bits) if missing.
    ///
    /// - Returns: the token and whether it was created now.
    public static func loadOrCreate(at path: String) throws -> (token: String, created: Bool) {
        if let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) {
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !token.isEmpty { return (token, false) }
        }
        var generator = SystemRandomNumberGenerator()
        let token = "mq_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        guard FileManager.default.createFile(atPath: path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        return (token, true)
    }

    /// `admin.token` beside the database file.
    public static func path(besideDatabase database: String) -> String {
        let directory = (database as NSString).deletingLastPathComponent
        return (directory.isEmpty ? "." : directory) + "/admin.token"
    }
}
