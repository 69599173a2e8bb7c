/// Reads the fleet inventory: tenants, sites, clusters, hosts, applications, containers.
///
/// Engines and the in-process ``FleetAPI`` depend on this protocol, not on GRDB, so that other
/// stores (PostgreSQL for large fleets) can be added without touching them.
public protocol InventoryReading: Sendable {
    func tenants() async throws -> [Tenant]
    /// All sites, ordered by id.
    func sites() async throws -> [Site]
    func site(id: String) async throws -> Site?
    /// Hosts, ordered by id; `siteID` and `status` narrow the result when given.
    func hosts(siteID: String?, status: HostStatus?) async throws -> [EdgeHost]
    func host(id: String) async throws -> EdgeHost?
    /// The clusters of one site with their hosts.
    func clusters(siteID: String) async throws -> [Cluster]
    func applications() async throws -> [Application]
    func containers(hostID: String) async throws -> [ContainerInstance]
    /// What the tower has ingested from a host (`nil` before its first report batch).
    func reportCursor(hostID: String) async throws -> ReportCursor?
    /// The host's latest reported load and free resources.
    func latestMetrics(hostID: String) async throws -> HostMetricsSample?
    /// Number of sites in the store.
    func siteCount() async throws -> Int
    /// A number that grows with every committed write; equal values mean nothing changed.
    func revision() async throws -> Int64
}

/// Writes the fleet inventory.
public protocol InventoryWriting: Sendable {
    /// Replaces the whole inventory (and event log) with `snapshot` in one transaction.
    func replaceFleet(with snapshot: FleetSnapshot) async throws
}

/// The append-only event and audit stream.
public protocol EventLog: Sendable {
    /// Records an event and returns it with its assigned id.
    func record(_ event: Event) async throws -> Event
    /// Events matching `query`, newest first.
    func events(_ query: EventQuery) async throws -> [Event]
}
