/// Everything the console and the CLI read from or do to the fleet.
///
/// Two implementations: ``LocalFleetAPI`` over a store in this process (the demo, CLI verbs on a
/// local database) and, later, an HTTP client to a remote tower. Front ends use only this protocol,
/// so they behave the same against either.
public protocol FleetAPI: Sendable {
    /// Counts for the whole fleet.
    func summary() async throws -> FleetSummary
    /// Every country with sites, by code.
    func countries() async throws -> [CountrySummary]
    /// Sites matching `query`, ordered by id.
    ///
    /// - Throws: ``SelectorError`` when `query.select` is malformed.
    func sites(_ query: SiteQuery) async throws -> [SiteSummary]
    /// One site with its clusters and hosts.
    ///
    /// - Throws: ``FleetAPIError/notFound(kind:id:)`` for an unknown id.
    func site(id: String) async throws -> SiteDetail
    /// Hosts matching `query`, ordered by id.
    func hosts(_ query: HostQuery) async throws -> [EdgeHost]
    /// One host with its site and containers.
    func host(id: String) async throws -> HostDetail
    /// Events matching `query`, newest first.
    func events(_ query: EventQuery) async throws -> [Event]
    /// A number that changes whenever anything this API reports changes; poll it, then reload only on change.
    func revision() async throws -> Int64
}
