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

    public init(store: Store, heartbeatInterval: Duration = .seconds(10), missedHeartbeats: Int = 3, now: @escaping @Sendable () -> Date = { Date() })
    {
        self.store = store
        self.heartbeatInterval = heartbeatInterval
        self.missedHeartbeats = missedHeartbeats
        self.now = now
    }

    private var intervalSeconds: Int { Int(heartbeatInterval.components.seconds) }

    /// Creates an enrollment token for a site; returns the secret (shown once) and its expiry.
    public func createEnrollmentToken(siteID: String, ttl: Duration) async throws -> (token: String, expiresAt: Date) {
        guard ttl > .zero else { throw LifecycleError.invalidParameter(name: "ttl", reason: "must be positive") }
        guard try await store.site(id: siteID) != nil else { throw LifecycleError.unknownSite(siteID) }
        let token = Secret.generate(prefix: "mqe_")
        let created = now()
        let expires = created.addingTimeInterval(Double(ttl.components.seconds))
        try await store.saveEnrollmentToken(
            EnrollmentTokenRecord(tokenHash: Secret.hash(token), siteID: siteID, createdAt: created, expiresAt: expires))
        return (token, expires)
    }

    /// Enrolls a host with a valid token: it is approved at once and receives its credential.
    public func enroll(token: String, facts: HostFacts) async throws -> AgentEnrollment {
        guard let record = try await store.enrollmentToken(hash: Secret.hash(token)), record.expiresAt > now() else {
            throw LifecycleError.invalidEnrollmentToken
        }
        let credential = Secret.generate(prefix: "mqh_")
        let time = now()
        let event = Event(
            time: time, kind: "host.enrolled", severity: .notice, subject: "site/\(record.siteID)",
            message:
                "\(facts.hostname) (serial \(facts.serialNumber)) enrolled with a site token; \(facts.osName) \(facts.osVersion), kernel \(facts.kernelRelease)",
            actor: "agent/\(facts.hostname)")
        let host = try await store.enroll(
            facts, siteID: record.siteID, credentialHash: Secret.hash(credential), status: .online, at: time, event: event)
        let cursor = try await store.reportCursor(hostID: host.id)
        return AgentEnrollment(
            hostID: host.id, siteID: host.siteID, credential: credential, heartbeatSeconds: intervalSeconds,
            acknowledgedSequence: cursor?.lastSequence ?? 0)
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
        guard let host = try await store.host(credentialHash: Secret.hash(credential)), host.status != .revoked else {
            throw LifecycleError.invalidCredential
        }
        let time = now()
        var status = host.status
        var event: Event?
        if host.status == .offline || host.status == .pending {
            status = .online
            event = Event(
                time: time, kind: "host.online", severity: .notice, subject: "host/\(host.id)",
                message: "\(host.id) is calling home again", actor: "agent/\(host.id)")
        }
        let ingest = try await store.heartbeat(hostID: host.id, facts: facts, status: status, at: time, event: event, batches: batches)
        IngestMetrics.record(ingest)
        return HeartbeatReply(
            hostID: host.id, status: status, heartbeatSeconds: intervalSeconds, acknowledgedSequence: ingest.cursor.lastSequence)
    }

    /// Turns hosts that missed `missedHeartbeats` intervals offline; returns them.
    @discardableResult
    public func sweep() async throws -> [EdgeHost] {
        let time = now()
        let silence = Double(heartbeatInterval.components.seconds) * Double(missedHeartbeats)
        return try await store.markOffline(lastSeenBefore: time.addingTimeInterval(-silence), at: time)
    }
}
