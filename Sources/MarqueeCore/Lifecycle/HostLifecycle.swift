import Foundation

/// Call home: enrollment, heartbeats, and turning silent hosts offline.
///
/// Uses `now` as its clock (a virtual one in tests). A host is offline once it has missed
/// `missedHeartbeats` heartbeat intervals; its next heartbeat brings it back online, and each
/// change is an event.
public struct HostLifecycle<Store: LifecycleStore & InventoryReading>: Sendable {
    public let store: Store
    public let heartbeatInterval: Duration
    public let missedHeartbeats: Int
    let now: @Sendable () -> Date
    /// Wakes agents long-polling for their desired state.
    public let desiredStateNotifier = DesiredStateNotifier()
    private let heartbeats: HeartbeatBatcher<Store>

    /// - Parameter shedding: when to refuse heartbeats under overload (503 `tower.busy`); `nil`
    ///   (in-process callers that cannot retry) queues every heartbeat.
    public init(
        store: Store, heartbeatInterval: Duration = .seconds(10), missedHeartbeats: Int = 3, shedding: HeartbeatShedding? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.heartbeatInterval = heartbeatInterval
        self.missedHeartbeats = missedHeartbeats
        self.now = now
        self.heartbeats = HeartbeatBatcher(store: store, now: now, transition: Self.transition, shedding: shedding)
    }

    /// A heartbeat brings an offline host back online, with an event; other statuses stay.
    static func transition(_ hostID: String, _ status: HostStatus, at time: Date) -> (status: HostStatus, event: Event?) {
        guard status == .offline || status == .pending else { return (status, nil) }
        let event = Event(
            time: time, kind: "host.online", severity: .notice, subject: "host/\(hostID)", message: "\(hostID) is calling home again",
            actor: "agent/\(hostID)")
        return (.online, event)
    }

    private var intervalSeconds: Int { Int(heartbeatInterval.components.seconds) }

    /// Creates an enrollment token for a site; returns the secret (shown once) and its expiry.
    public func createEnrollmentToken(siteID: String, ttl: Duration) async throws -> (token: String, expiresAt: Date) {
        guard ttl > .zero else { throw LifecycleError.invalidParameter(name: "ttl", reason: "must be positive") }
        guard let site = try await store.site(id: siteID) else { throw LifecycleError.unknownSite(siteID) }
        if site.status == .lockedDown { throw LifecycleError.siteLockedDown(siteID) }
        let token = Secret.generate(prefix: "mqe_")
        let created = now()
        let expires = created.addingTimeInterval(Double(ttl.components.seconds))
        try await store.saveEnrollmentToken(
            EnrollmentTokenRecord(tokenHash: Secret.hash(token), siteID: siteID, createdAt: created, expiresAt: expires))
        return (token, expires)
    }

    /// Enrolls a host with a valid token: it is approved at once and receives its credential.
    public func enroll(token: String, facts: HostFacts) async throws -> AgentEnrollment {
        guard case .enrolled(let enrollment) = try await enroll(token: token, siteID: nil, facts: facts) else {
            throw LifecycleError.invalidEnrollmentToken
        }
        return enrollment
    }

    /// Enrolls a host by token, by pre-registered serial, or (neither) asks an operator.
    ///
    /// - A valid `token` approves the host at the token's site.
    /// - Without a token, a serial an operator pre-registered is approved at its site.
    /// - Otherwise the host is created `pending` at `siteID` (no credential) and waits for
    ///   ``approve(hostID:actor:)``; its agent calls again and receives its credential once approved.
    public func enroll(token: String?, siteID: String?, facts: HostFacts) async throws -> EnrollmentOutcome {
        let time = now()
        if let token {
            guard let record = try await store.enrollmentToken(hash: Secret.hash(token)), record.expiresAt > time else {
                throw LifecycleError.invalidEnrollmentToken
            }
            return .enrolled(try await approve(facts, siteID: record.siteID, how: "with a site token", at: time))
        }
        if let registration = try await store.preRegistration(serialNumber: facts.serialNumber) {
            return .enrolled(try await approve(facts, siteID: registration.siteID, how: "by its pre-registered serial", at: time))
        }
        if let existing = try await store.host(serialNumber: facts.serialNumber) {
            let approval = try await store.approval(hostID: existing.id)
            switch (existing.status, approval?.decision) {
            case (_, .rejected?): throw LifecycleError.enrollmentRejected(hostID: existing.id)
            case (.pending, .approved?):
                let approver = approval?.actor ?? "an operator"
                return .enrolled(try await approve(facts, siteID: existing.siteID, how: "after approval by \(approver)", at: time))
            case (.pending, nil): return .pending(hostID: existing.id, siteID: existing.siteID)
            default: throw LifecycleError.serialAlreadyEnrolled(serial: facts.serialNumber, hostID: existing.id)
            }
        }
        guard let siteID else {
            throw LifecycleError.invalidParameter(name: "site", reason: "a host without a token or a pre-registered serial must name its site")
        }
        guard let site = try await store.site(id: siteID) else { throw LifecycleError.unknownSite(siteID) }
        if site.status == .lockedDown { throw LifecycleError.siteLockedDown(siteID) }
        let event = Event(
            time: time, kind: "host.pending", severity: .warning, subject: "site/\(siteID)",
            message: "\(facts.hostname) (serial \(facts.serialNumber)) asks to join without a token; approve or reject it",
            actor: "agent/\(facts.hostname)")
        let host = try await store.enroll(facts, siteID: siteID, credentialHash: nil, status: .pending, at: time, event: event)
        return .pending(hostID: host.id, siteID: host.siteID)
    }

    private func approve(_ facts: HostFacts, siteID: String, how: String, at time: Date) async throws -> AgentEnrollment {
        if try await store.site(id: siteID)?.status == .lockedDown { throw LifecycleError.siteLockedDown(siteID) }
        let credential = Secret.generate(prefix: "mqh_")
        let event = Event(
            time: time, kind: "host.enrolled", severity: .notice, subject: "site/\(siteID)",
            message:
                "\(facts.hostname) (serial \(facts.serialNumber)) enrolled \(how); \(facts.osName) \(facts.osVersion), kernel \(facts.kernelRelease)",
            actor: "agent/\(facts.hostname)")
        let host = try await store.enroll(
            facts, siteID: siteID, credentialHash: Secret.hash(credential), status: .online, at: time, event: event)
        let cursor = try await store.reportCursor(hostID: host.id)
        return AgentEnrollment(
            hostID: host.id, siteID: host.siteID, credential: credential, heartbeatSeconds: intervalSeconds,
            acknowledgedSequence: cursor?.lastSequence ?? 0)
    }

    /// Approves a pending host: its agent receives a credential on its next call.
    @discardableResult
    public func approve(hostID: String, actor: String) async throws -> EdgeHost {
        try await decide(hostID: hostID, .approved, status: .pending, actor: actor)
    }

    /// Rejects a pending host: it is revoked and cannot enroll without a new site token.
    @discardableResult
    public func reject(hostID: String, actor: String) async throws -> EdgeHost {
        try await decide(hostID: hostID, .rejected, status: .revoked, actor: actor)
    }

    private func decide(hostID: String, _ decision: HostApproval.Decision, status: HostStatus, actor: String) async throws -> EdgeHost {
        guard var host = try await store.host(id: hostID) else { throw LifecycleError.unknownHost(hostID) }
        guard host.status == .pending, try await store.approval(hostID: hostID) == nil else {
            throw LifecycleError.notPending(hostID: hostID, status: host.status)
        }
        let time = now()
        let event = Event(
            time: time, kind: "host.\(decision.rawValue)", severity: .notice, subject: "host/\(hostID)",
            message: decision == .approved
                ? "\(actor) approved \(hostID) (serial \(host.serialNumber)); it enrolls on its next call"
                : "\(actor) rejected \(hostID) (serial \(host.serialNumber))",
            actor: actor)
        try await store.decide(HostApproval(hostID: hostID, decision: decision, decidedAt: time, actor: actor), status: status, event: event)
        host.status = status
        return host
    }

    /// Registers a serial number in advance: that host is approved at `siteID` on its first call.
    public func preRegister(serialNumber: String, siteID: String, actor: String) async throws -> PreRegistration {
        let serial = serialNumber.trimmingCharacters(in: .whitespaces)
        guard !serial.isEmpty else { throw LifecycleError.invalidParameter(name: "serial", reason: "must not be empty") }
        guard let site = try await store.site(id: siteID) else { throw LifecycleError.unknownSite(siteID) }
        if site.status == .lockedDown { throw LifecycleError.siteLockedDown(siteID) }
        let registration = PreRegistration(serialNumber: serial, siteID: siteID, createdAt: now(), actor: actor)
        let event = Event(
            time: registration.createdAt, kind: "host.preregistered", severity: .info, subject: "site/\(siteID)",
            message: "\(actor) pre-registered serial \(serial) for \(siteID)", actor: actor)
        try await store.savePreRegistration(registration, event: event)
        return registration
    }

    /// The most batches one heartbeat may carry (an agent flushing a long outage sends several).
    public static var maximumBatchesPerHeartbeat: Int { 200 }

    /// Records a heartbeat from the host holding `credential` and ingests its report batches
    /// exactly once.
    public func heartbeat(credential: String, facts: HostFacts?, batches: [ReportBatch] = []) async throws -> HeartbeatReply {
        guard batches.count <= Self.maximumBatchesPerHeartbeat else {
            throw LifecycleError.invalidParameter(name: "batches", reason: "at most \(Self.maximumBatchesPerHeartbeat) per heartbeat")
        }
        if let index = batches.firstIndex(where: { $0.sequence < 1 }) {
            throw LifecycleError.invalidParameter(name: "batches[\(index)].sequence", reason: "must be 1 or more")
        }
        let write = HeartbeatWrite(credentialHash: Secret.hash(credential), facts: facts, batches: batches)
        switch try await heartbeats.submit(write) {
        case .invalidCredential:
            throw LifecycleError.invalidCredential
        case .accepted(let hostID, let status, let ingest, let desiredRevision):
            IngestMetrics.record(ingest)
            return HeartbeatReply(
                hostID: hostID, status: status, heartbeatSeconds: intervalSeconds, acknowledgedSequence: ingest.cursor.lastSequence,
                desiredRevision: desiredRevision)
        }
    }

    /// The enrolled, unrevoked host holding `credential`.
    public func authenticatedHost(credential: String) async throws -> EdgeHost {
        guard let host = try await store.host(credentialHash: Secret.hash(credential)), host.status != .revoked else {
            throw LifecycleError.invalidCredential
        }
        return host
    }

    /// The desired state of the host holding `credential`.
    ///
    /// With `after` equal to the current revision and a positive `wait`, waits up to `wait` for the
    /// revision to move (long-poll); otherwise answers at once.
    public func desiredState(credential: String, after: Int64?, wait: Duration, clock: any FleetClock) async throws -> DesiredState {
        guard let host = try await store.host(credentialHash: Secret.hash(credential)), host.status != .revoked else {
            throw LifecycleError.invalidCredential
        }
        var revision = try await store.desiredRevision(hostID: host.id)
        if let after, after >= revision, wait > .zero {
            await desiredStateNotifier.wait(hostID: host.id, timeout: wait, clock: clock)
            revision = try await store.desiredRevision(hostID: host.id)
        }
        let (containers, specs) = try await store.desiredContainers(hostID: host.id)
        let upgrade = try await store.upgradeOrder(hostID: host.id)
        return DesiredState(hostID: host.id, revision: revision, containers: containers, specs: specs, upgrade: upgrade)
    }

    /// Marks the desired state of `hostIDs` changed and wakes their long-polling agents.
    @discardableResult
    public func desiredStateChanged(hostIDs: [String]) async throws -> [String: Int64] {
        let revisions = try await store.bumpDesiredRevision(hostIDs: hostIDs, at: now())
        await desiredStateNotifier.notify(hostIDs)
        return revisions
    }

    /// How long the oldest heartbeat waiting in the tower's queue has waited, in real seconds.
    public func heartbeatQueueWait() async -> TimeInterval? {
        await heartbeats.oldestWait.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
    }

    /// A fresh ``ListeningWindow`` for this lifecycle's interval and silence.
    public func listeningWindow() -> ListeningWindow {
        let interval = Double(heartbeatInterval.components.seconds)
        return ListeningWindow(interval: interval, silence: interval * Double(missedHeartbeats))
    }

    /// Turns hosts that missed `missedHeartbeats` intervals offline; returns them.
    @discardableResult
    public func sweep() async throws -> [EdgeHost] {
        let time = now()
        let silence = Double(heartbeatInterval.components.seconds) * Double(missedHeartbeats)
        return try await store.markOffline(lastSeenBefore: time.addingTimeInterval(-silence), at: time)
    }
}
