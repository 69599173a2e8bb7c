import Foundation

/// ``FleetAPI`` over stores in this process.
public struct LocalFleetAPI<Inventory: InventoryReading, Events: EventLog>: FleetAPI {
    private let inventory: Inventory
    private let eventLog: Events
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - inventory: where sites and hosts are read.
    ///   - events: the event log.
    ///   - now: the clock used to stamp summaries.
    public init(inventory: Inventory, events: Events, now: @escaping @Sendable () -> Date = { Date() }) {
        self.inventory = inventory
        self.eventLog = events
        self.now = now
    }

    public func summary() async throws -> FleetSummary {
        FleetSummary(summaries: try await allSummaries(), asOf: now())
    }

    public func countries() async throws -> [CountrySummary] {
        let byCountry = Dictionary(grouping: try await allSummaries(), by: \.site.country)
        return byCountry.map { CountrySummary(code: $0.key, summaries: $0.value) }.sorted { $0.code < $1.code }
    }

    public func sites(_ query: SiteQuery) async throws -> [SiteSummary] {
        let selector = try query.select.map { text throws(SelectorError) in try LabelSelector(text) }
        let country = query.country?.uppercased()
        return try await allSummaries().filter { summary in
            if let country, summary.site.country != country { return false }
            if let health = query.health, summary.health != health { return false }
            if let selector, !selector.matches(summary.site.labels) { return false }
            return true
        }
    }

    public func site(id: String) async throws -> SiteDetail {
        guard let site = try await inventory.site(id: id) else { throw FleetAPIError.notFound(kind: "site", id: id) }
        let clusters = try await inventory.clusters(siteID: id)
        let hosts = clusters.flatMap(\.hosts)
        var events = try await eventLog.events(EventQuery(limit: 50, subjectPrefix: "site/\(id)"))
        for host in hosts {
            events += try await eventLog.events(EventQuery(limit: 20, subjectPrefix: "host/\(host.id)"))
        }
        events.sort { ($0.time, $0.id ?? 0) > ($1.time, $1.id ?? 0) }
        return SiteDetail(summary: SiteSummary(site: site, hosts: hosts), clusters: clusters, events: Array(events.prefix(50)))
    }

    public func hosts(_ query: HostQuery) async throws -> [EdgeHost] {
        var hosts = try await inventory.hosts(siteID: query.siteID, status: query.status)
        if let text = query.select {
            let selector = try LabelSelector(text)
            let selected = Set(try await inventory.sites().filter { selector.matches($0.labels) }.map(\.id))
            hosts = hosts.filter { selected.contains($0.siteID) }
        }
        return hosts
    }

    public func host(id: String) async throws -> HostDetail {
        guard let host = try await inventory.host(id: id) else { throw FleetAPIError.notFound(kind: "host", id: id) }
        guard let site = try await inventory.site(id: host.siteID) else {
            throw FleetAPIError.notFound(kind: "site", id: host.siteID)
        }
        let containers = try await inventory.containers(hostID: id)
        let events = try await eventLog.events(EventQuery(limit: 50, subjectPrefix: "host/\(id)"))
        return HostDetail(
            host: host, site: site, containers: containers, events: events, reports: try await inventory.reportCursor(hostID: id),
            metrics: try await inventory.latestMetrics(hostID: id))
    }

    public func events(_ query: EventQuery) async throws -> [Event] {
        guard query.limit > 0 else { throw FleetAPIError.invalidParameter(name: "limit", reason: "must be at least 1") }
        return try await eventLog.events(query)
    }

    public func revision() async throws -> Int64 {
        try await inventory.revision()
    }

    private func allSummaries() async throws -> [SiteSummary] {
        let sites = try await inventory.sites()
        let hostsBySite = Dictionary(grouping: try await inventory.hosts(siteID: nil, status: nil), by: \.siteID)
        return sites.map { SiteSummary(site: $0, hosts: hostsBySite[$0.id] ?? []) }
    }
}
