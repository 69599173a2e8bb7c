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
    /// Changes as they happen: one ``FleetChange`` per new revision (a slow reader gets the latest).
    ///
    /// The tower pushes them (Server-Sent Events); the default implementation polls ``revision()``.
    func changes() -> AsyncThrowingStream<FleetChange, any Error>
}

/// The fleet moved to a new revision; `events` are those recorded since the previous change.
public struct FleetChange: Codable, Sendable, Equatable {
    public var revision: Int64
    /// New events, newest first (at most 100; reload the event list for more).
    public var events: [Event]

    public init(revision: Int64, events: [Event]) {
        self.revision = revision
        self.events = events
    }
}

extension FleetAPI {
    /// Polls ``revision()`` every `interval` and yields a change (without events) when it moves.
    public func changes() -> AsyncThrowingStream<FleetChange, any Error> {
        pollingChanges(every: .seconds(1))
    }

    public func pollingChanges(every interval: Duration) -> AsyncThrowingStream<FleetChange, any Error> {
        let (stream, continuation) = AsyncThrowingStream<FleetChange, any Error>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let task = Task {
            var seen: Int64?
            do {
                while !Task.isCancelled {
                    let revision = try await self.revision()
                    if revision != seen {
                        continuation.yield(FleetChange(revision: revision, events: []))
                        seen = revision
                    }
                    try await Task.sleep(for: interval)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// A store that can push its revision as it changes (writes through this process).
public protocol RevisionObserving: Sendable {
    /// The current revision, then every new one.
    func revisionUpdates() -> AsyncThrowingStream<Int64, any Error>
}
