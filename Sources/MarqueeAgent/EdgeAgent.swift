import Foundation
import Logging
import MarqueeCore
import MarqueeRemote
import Synchronization

/// The agent on an edge host: enrolls once, then calls home (only outbound calls).
///
/// Two loops run side by side. The *sampler* takes a report every heartbeat interval and puts it
/// in the outbox as the next numbered batch, whether or not the tower is reachable. The *sender*
/// heartbeats with the oldest outbox batches and drops what the tower acknowledged; while a
/// backlog remains it sends again at once, and when the tower is unreachable it backs off
/// exponentially with jitter (up to a minute). The credential is kept by `credentials`, so a
/// restarted agent does not enroll again.
public struct EdgeAgent: Sendable {
    public let tower: any AgentTransport
    public let enrollToken: String?
    /// The site to ask to join when enrolling without a token (an operator approves the host).
    public let site: String?
    let facts: @Sendable () -> HostFacts
    let credentials: any CredentialStore
    let outbox: any Outbox
    let reporter: any HostReporter
    let applier: (any DesiredStateApplier)?
    let delivery: DesiredStateDelivery
    /// Raised when the host's facts may have changed; the next heartbeat reads and sends them.
    let factsRefresh: FactsRefresh
    /// The runtime's reconcile loop, run beside the heartbeats (a real agent's container supervisor).
    private(set) var runtimeLoop: (@Sendable () async throws -> Void)?
    let clock: any FleetClock
    public let logger: Logger
    /// Batches sent per heartbeat while flushing a backlog.
    public static let batchesPerHeartbeat = 50
    /// Facts are collected again (and sent if changed) this often.
    static let factsRefreshIntervals = 30
    /// Heartbeats between two desired-state fetches even when the revision did not move: a safety
    /// net, so an agent that missed a change (a lost reply, a state read mid-change) converges anyway.
    static let desiredResyncIntervals = 10

    /// An agent on this machine: real facts and metrics, credential and outbox in the data
    /// directory, and containers run by `supervisor` (the process driver by default).
    ///   - upgrades: carries out upgrade orders (without it they are ignored).
    ///   - factsRefresh: raised when the host's facts may have changed (an upgrade finished).
    public init(
        tower: TowerClient, enrollToken: String?, site: String?, collector: HostFactsCollector, supervisor: ContainerSupervisor,
        upgrades: UpgradeRunner? = nil, factsRefresh: FactsRefresh = FactsRefresh(), logger: Logger
    ) throws {
        self.init(
            tower: tower, enrollToken: enrollToken, site: site, facts: { collector.collect() },
            credentials: FileCredentialStore(directory: collector.dataDirectory),
            outbox: try SQLiteOutbox(directory: collector.dataDirectory), reporter: supervisor,
            applier: upgrades.map { UpgradingApplier(containers: supervisor, upgrades: $0) } ?? supervisor, delivery: .longPoll(waitSeconds: 30),
            clock: SystemClock(), factsRefresh: factsRefresh, logger: logger)
        self.runtimeLoop = { try await supervisor.run() }
    }

    /// An agent with any facts, storage, reporter and clock (the simulator runs thousands of these).
    public init(
        tower: any AgentTransport, enrollToken: String?, site: String? = nil, facts: @escaping @Sendable () -> HostFacts,
        credentials: any CredentialStore, outbox: any Outbox, reporter: any HostReporter, applier: (any DesiredStateApplier)? = nil,
        delivery: DesiredStateDelivery = .onHeartbeat, clock: any FleetClock, factsRefresh: FactsRefresh = FactsRefresh(), logger: Logger
    ) {
        self.applier = applier
        self.runtimeLoop = nil
        self.delivery = delivery
        self.tower = tower
        self.enrollToken = enrollToken
        self.site = site
        self.facts = facts
        self.credentials = credentials
        self.outbox = outbox
        self.reporter = reporter
        self.clock = clock
        self.factsRefresh = factsRefresh
        self.logger = logger
    }

    /// Why the agent cannot run.
    public enum AgentError: Error, CustomStringConvertible, InputError {
        case notEnrolled(dataDirectory: String)

        public var description: String {
            switch self {
            case .notEnrolled(let directory):
                "no credential in \(directory), and neither --enroll-token nor --site (join and wait for approval) to enroll with"
            }
        }
    }

    /// Runs until cancelled.
    public func run() async throws {
        let session = try await start()
        let interval = SharedInterval(session.interval)
        let desired = DesiredTracker()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await sample(every: interval) }
            group.addTask { try await send(session, interval: interval, desired: desired) }
            if case .longPoll(let wait) = delivery, applier != nil {
                group.addTask { try await followDesiredState(wait: wait, desired: desired) }
            }
            if let runtimeLoop { group.addTask { try await runtimeLoop() } }
            try await group.next()
            group.cancelAll()
        }
    }

    /// The credential in use and the heartbeat interval.
    struct Session: Sendable {
        var credential: String
        var interval: Duration
    }

    private func start() async throws -> Session {
        if let credential = credentials.load() { return Session(credential: credential, interval: .seconds(10)) }
        var backoff = Backoff()
        var waiting = false
        while true {
            do {
                return try await enroll()
            } catch let error as AgentError {
                throw error
            } catch RemoteError.pendingApproval(let hostID) {
                if !waiting { logger.notice("Waiting for an operator to approve this host", metadata: ["host.id": "\(hostID)"]) }
                waiting = true
                try await clock.sleep(for: .seconds(10) * Double.random(in: 0.8...1.0))
            } catch let RemoteError.api(status, body) where (400..<500).contains(status) {
                throw RemoteError.api(status: status, body: body)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("Tower unreachable; retrying enrollment", metadata: ["error": "\(error)", "retry.seconds": "\(backoff.seconds)"])
                try await clock.sleep(for: backoff.next())
            }
        }
    }

    private func enroll() async throws -> Session {
        // Without a token or a site, the tower still approves a pre-registered serial.
        let enrollment = try await tower.enroll(token: enrollToken, site: site, facts: facts())
        try credentials.save(enrollment)
        try await outbox.continueAfter(enrollment.acknowledgedSequence)
        logger.info("Enrolled", metadata: ["host.id": "\(enrollment.hostID)", "site.id": "\(enrollment.siteID)"])
        return Session(credential: enrollment.credential, interval: .seconds(enrollment.heartbeatSeconds))
    }

    /// Puts one report batch in the outbox every interval, reachable or not (the sender may have
    /// taken a fresher one just before a heartbeat, which counts).
    private func sample(every interval: SharedInterval) async throws {
        while !Task.isCancelled {
            await sampleIfOlder(than: interval.value / 2, interval: interval)
            try await clock.sleep(for: interval.value)
        }
    }

    /// Takes a report unless one was taken within `age`, so a heartbeat carries the runtime's
    /// current state rather than one up to an interval old.
    private func sampleIfOlder(than age: Duration, interval: SharedInterval) async {
        let time = clock.now()
        if let last = interval.lastSample, time.timeIntervalSince(last) < Double(age.components.seconds) { return }
        interval.lastSample = time
        let records = await reporter.sample(at: time)
        do {
            if !records.isEmpty { try await outbox.append(records, at: time) }
        } catch {
            logger.error("Cannot write the outbox; this report is lost", metadata: ["error": "\(error)"])
        }
    }

    /// Heartbeats with the oldest outbox batches until cancelled.
    private func send(_ start: Session, interval: SharedInterval, desired: DesiredTracker) async throws {
        var session = start
        var backoff = Backoff()
        var currentFacts = facts()
        var unsentFacts: HostFacts? = currentFacts
        var beats = 0
        var sinceDesiredSync = 0
        // After a "too large" refusal the next heartbeat carries one batch (then back to normal).
        var limit = Self.batchesPerHeartbeat
        var batches: [ReportBatch] = []
        // After an outage (a reboot for an upgrade, say) the facts are read again and sent if they moved.
        var reachedTower = true
        while !Task.isCancelled {
            do {
                if !reachedTower || factsRefresh.take() {
                    let fresh = facts()
                    if fresh != currentFacts { (currentFacts, unsentFacts) = (fresh, fresh) }
                }
                await sampleIfOlder(than: session.interval / 2, interval: interval)
                batches = try await outbox.pending(limit: limit)
                let reply = try await tower.heartbeat(credential: session.credential, facts: unsentFacts, batches: batches)
                limit = Self.batchesPerHeartbeat
                unsentFacts = nil
                reachedTower = true
                try await outbox.acknowledge(through: reply.acknowledgedSequence)
                session.interval = .seconds(reply.heartbeatSeconds)
                interval.value = session.interval
                backoff.reset()
                backoff.cap = min(60, Double(reply.heartbeatSeconds) * 6)
                sinceDesiredSync += 1
                if case .onHeartbeat = delivery, let applier,
                    reply.desiredRevision != desired.revision || sinceDesiredSync >= Self.desiredResyncIntervals
                {
                    sinceDesiredSync = 0
                    let state = try await tower.desiredState(credential: session.credential, after: nil, waitSeconds: 0)
                    await applier.apply(state)
                    desired.revision = state.revision
                }
                logger.debug(
                    "Heartbeat",
                    metadata: [
                        "host.id": "\(reply.hostID)", "host.status": "\(reply.status.rawValue)", "reports.acked": "\(reply.acknowledgedSequence)",
                    ])
                // A backlog (after an outage) is flushed at once, in order.
                if batches.count == Self.batchesPerHeartbeat { continue }
                // Jitter spreads a fleet's heartbeats so they do not arrive together.
                try await clock.sleep(for: session.interval * Double.random(in: 0.8...1.0))
                beats += 1
                if beats % Self.factsRefreshIntervals == 0 {
                    let fresh = facts()
                    if fresh != currentFacts { (currentFacts, unsentFacts) = (fresh, fresh) }
                }
            } catch let error as AgentError {
                throw error
            } catch let RemoteError.api(status, body) where status == 401 && body.error.code == "auth.invalid" {
                logger.warning("Credential refused; key material purged; enrolling again")
                await applier?.credentialRefused()
                credentials.forget()
                guard enrollToken != nil || site != nil else { throw AgentError.notEnrolled(dataDirectory: credentials.location) }
                session = try await enroll()
                unsentFacts = currentFacts
            } catch let RemoteError.api(status, body) where status == 401 {
                await applier?.credentialRefused()
                throw RemoteError.api(status: status, body: body)
            } catch let RemoteError.api(status, body) where status == 413 {
                // A batch the tower will never take must not hold back every report after it: with
                // several batches, send one at a time; a single one is dropped (the tower counts its
                // sequence as missing) and said so.
                if batches.count > 1 {
                    limit = 1
                } else if let batch = batches.first {
                    logger.error(
                        "The tower refused a report batch as too large; dropped it",
                        metadata: [
                            "batch.sequence": "\(batch.sequence)", "batch.records": "\(batch.records.count)", "error": "\(body.error.message)",
                        ])
                    try? await outbox.acknowledge(through: batch.sequence)
                }
            } catch let RemoteError.api(status, body) where status == 503 {
                // The tower sheds load: back off with jitter (so a fleet does not return at once), but
                // within one interval, so shedding alone never makes a live host look offline.
                let wait = min(backoff.next(), session.interval)
                logger.notice("Tower busy; retrying", metadata: ["error": "\(body.error.message)", "retry.seconds": "\(wait.components.seconds)"])
                try await clock.sleep(for: max(wait, .seconds(2)))
            } catch is CancellationError {
                return
            } catch {
                reachedTower = false
                logger.warning("Tower unreachable; retrying", metadata: ["error": "\(error)", "retry.seconds": "\(backoff.seconds)"])
                try await clock.sleep(for: backoff.next())
            }
        }
    }
}

extension EdgeAgent {
    /// Long-polls the desired state and applies each new revision (a real agent).
    func followDesiredState(wait: Int, desired: DesiredTracker) async throws {
        var backoff = Backoff()
        while !Task.isCancelled {
            guard let credential = credentials.load() else {
                try await clock.sleep(for: .seconds(1))
                continue
            }
            do {
                let state = try await tower.desiredState(credential: credential, after: desired.revision, waitSeconds: wait)
                backoff.reset()
                if state.revision != desired.revision {
                    await applier?.apply(state)
                    desired.revision = state.revision
                }
            } catch is CancellationError {
                return
            } catch {
                logger.debug("Desired-state poll failed; retrying", metadata: ["error": "\(error)"])
                try await clock.sleep(for: backoff.next())
            }
        }
    }
}

/// A request to read the host's facts again (after an upgrade command finished).
public final class FactsRefresh: Sendable {
    private let raised = Mutex(false)

    public init() {}

    public func request() { raised.withLock { $0 = true } }

    /// Whether it was requested since the last call.
    func take() -> Bool {
        raised.withLock { state in
            defer { state = false }
            return state
        }
    }
}

/// The last desired-state revision applied (`nil` before the first).
final class DesiredTracker: Sendable {
    private let storage = Mutex<Int64?>(nil)

    var revision: Int64? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

/// The heartbeat interval the tower last asked for and when the last report was taken, shared
/// by the sampler and the sender.
final class SharedInterval: Sendable {
    private let storage: Mutex<(interval: Duration, lastSample: Date?)>

    init(_ value: Duration) { storage = Mutex((value, nil)) }

    var value: Duration {
        get { storage.withLock { $0.interval } }
        set { storage.withLock { $0.interval = newValue } }
    }

    var lastSample: Date? {
        get { storage.withLock { $0.lastSample } }
        set { storage.withLock { $0.lastSample = newValue } }
    }
}

/// Exponential backoff with jitter: 1 s, 2 s, 4 s … up to `cap` (a minute, or six heartbeat
/// intervals if that is shorter), each waited 50–100 %.
struct Backoff {
    private(set) var seconds = 1.0
    var cap = 60.0

    mutating func next() -> Duration {
        let wait = Duration.milliseconds(Int(seconds * 1000 * Double.random(in: 0.5...1.0)))
        seconds = min(cap, seconds * 2)
        return wait
    }

    mutating func reset() { seconds = 1 }
}
