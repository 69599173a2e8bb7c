import Foundation

/// Storage of log lines.
public protocol LogStore: Sendable {
    func logs(_ query: LogQuery) async throws -> [LogLine]
    func correlate(container: String, at: Date, window: TimeInterval, limit: Int) async throws -> LogCorrelation?
    func pruneLogs(before: Date, maximumLines: Int) async throws -> Int
    func topology(of subject: String, limit: Int) async throws -> Topology?
}

extension SQLiteFleetStore: LogStore {}

/// Log queries, local or through a tower (``HTTPFleetAPI``).
public protocol LogAPI: Sendable {
    /// Lines matching `query`, newest first (oldest first when following with `afterID`).
    func logs(_ query: LogQuery) async throws -> [LogLine]
    /// One container's lines interleaved with its host's runtime, OS and kernel lines around `at`.
    func correlate(container: String, at: Date?, window: TimeInterval) async throws -> LogCorrelation
    /// A container's or a host's place: its app, host, kernel, runtime, and what shares them.
    func topology(of subject: String, limit: Int) async throws -> Topology
}

/// ``LogAPI`` on a local store; "now" (the default moment to correlate) is the fleet's clock.
public struct LocalLogAPI: LogAPI {
    let store: any LogStore
    let clock: any FleetClock

    public init(store: any LogStore, clock: any FleetClock) {
        self.store = store
        self.clock = clock
    }

    public func logs(_ query: LogQuery) async throws -> [LogLine] {
        try query.validate()
        return try await store.logs(query)
    }

    public func correlate(container: String, at: Date?, window: TimeInterval) async throws -> LogCorrelation {
        guard !container.isEmpty else { throw LogQueryError.invalid(field: "container", reason: "is required") }
        guard (1...86_400).contains(window) else { throw LogQueryError.invalid(field: "window", reason: "must be 1s…24h") }
        let at = at ?? clock.now()
        guard let correlation = try await store.correlate(container: container, at: at, window: window, limit: 1_000) else {
            throw LogQueryError.unknownContainer(container)
        }
        return correlation
    }

    public func topology(of subject: String, limit: Int) async throws -> Topology {
        guard !subject.isEmpty else { throw LogQueryError.invalid(field: "subject", reason: "is required: a container id or a host id") }
        guard (0...1_000).contains(limit) else { throw LogQueryError.invalid(field: "limit", reason: "must be 0…1000") }
        guard let topology = try await store.topology(of: subject, limit: limit) else { throw LogQueryError.unknownSubject(subject) }
        return topology
    }
}
