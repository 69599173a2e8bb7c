import Foundation

/// One batch of agent reports: the unit of store-and-forward.
///
/// Each host numbers its batches 1, 2, 3, … (``sequence``) and keeps them in its on-disk outbox
/// until the tower acknowledges them. The tower applies a batch only if its sequence is above the
/// host's cursor, so a batch re-sent after a lost response is counted once.
public struct ReportBatch: Codable, Sendable, Equatable {
    /// Per-host, strictly increasing from 1.
    public var sequence: Int64
    /// When the agent put the batch in its outbox (the tower measures outbox lag from it).
    public var createdAt: Date
    public var records: [ReportRecord]

    public init(sequence: Int64, createdAt: Date, records: [ReportRecord]) {
        self.sequence = sequence
        self.createdAt = createdAt
        self.records = records
    }
}

/// One observation in a batch. Exactly one of the payloads is set, matching ``kind``.
public struct ReportRecord: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A container's state as the runtime sees it.
        case container
        /// The host's own load, memory and disk.
        case hostMetrics
        /// A synthetic probe's result.
        case probe
        /// A log line from a container, the runtime, the OS or the kernel.
        case log
    }

    public var kind: Kind
    public var time: Date
    public var container: ContainerStateReport?
    public var hostMetrics: HostMetricsReport?
    public var probe: ProbeSample?
    public var log: LogEntry?

    public static func container(_ report: ContainerStateReport, at time: Date) -> ReportRecord {
        ReportRecord(kind: .container, time: time, container: report)
    }

    public static func hostMetrics(_ report: HostMetricsReport, at time: Date) -> ReportRecord {
        ReportRecord(kind: .hostMetrics, time: time, hostMetrics: report)
    }

    public static func probe(_ sample: ProbeSample, at time: Date) -> ReportRecord {
        ReportRecord(kind: .probe, time: time, probe: sample)
    }

    public static func log(_ entry: LogEntry, at time: Date) -> ReportRecord {
        ReportRecord(kind: .log, time: time, log: entry)
    }
}

extension ReportRecord {
    private enum CodingKeys: String, CodingKey {
        case kind, time, container, hostMetrics, probe, log
    }

    /// A record with no payload yet: set the one matching `kind` (a reader filling it field by field).
    public init(kind: Kind, time: Date) {
        self.kind = kind
        self.time = time
    }

    /// Decodes only the payload that matches ``kind`` (the one the tower reads): each absent key
    /// asked for costs a generic lookup, and a heartbeat holds hundreds of records. A record
    /// without its payload decodes, as before, and is skipped when ingested.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        kind = try values.decode(Kind.self, forKey: .kind)
        time = try values.decode(Date.self, forKey: .time)
        switch kind {
        case .container: container = try values.decodeIfPresent(ContainerStateReport.self, forKey: .container)
        case .hostMetrics: hostMetrics = try values.decodeIfPresent(HostMetricsReport.self, forKey: .hostMetrics)
        case .probe: probe = try values.decodeIfPresent(ProbeSample.self, forKey: .probe)
        case .log: log = try values.decodeIfPresent(LogEntry.self, forKey: .log)
        }
    }
}

/// A container's state on the reporting host.
public struct ContainerStateReport: Codable, Sendable, Equatable {
    /// The container instance id (as placed by the tower).
    public var id: String
    public var state: ContainerInstance.State
    public var restarts: Int
    /// The application version the agent runs under this id (the tower ignores a report for a version it replaced).
    public var version: String?
    /// What the runtime said when something is wrong (exit status, probe failure).
    public var detail: String?
    /// The runtime's id for the running instance (the pid for the process driver).
    public var runtimeInstanceID: String?

    public init(
        id: String, state: ContainerInstance.State, restarts: Int, version: String? = nil, detail: String? = nil, runtimeInstanceID: String? = nil
    ) {
        self.runtimeInstanceID = runtimeInstanceID
        self.id = id
        self.state = state
        self.restarts = restarts
        self.version = version
        self.detail = detail
    }
}

/// The host's load and free resources at one moment.
public struct HostMetricsReport: Codable, Sendable, Equatable {
    /// 1-minute load average.
    public var load1: Double
    public var memoryAvailableBytes: Int64
    public var diskFreeBytes: Int64

    public init(load1: Double, memoryAvailableBytes: Int64, diskFreeBytes: Int64) {
        self.load1 = load1
        self.memoryAvailableBytes = memoryAvailableBytes
        self.diskFreeBytes = diskFreeBytes
    }
}

/// A host's latest metrics with the time they were taken.
public struct HostMetricsSample: Codable, Sendable, Equatable {
    public var time: Date
    public var metrics: HostMetricsReport

    public init(time: Date, metrics: HostMetricsReport) {
        self.time = time
        self.metrics = metrics
    }
}

/// What the tower has ingested from one host: the exactly-once ledger.
public struct ReportCursor: Codable, Sendable, Equatable {
    public var hostID: String
    /// The highest sequence applied; batches at or below it are duplicates.
    public var lastSequence: Int64
    /// Batches applied (equals `lastSequence` when nothing was lost).
    public var batches: Int64
    public var records: Int64
    /// Re-sent batches that were recognised and skipped.
    public var duplicates: Int64
    /// Sequence numbers that never arrived (an outbox that overflowed or was wiped).
    public var missing: Int64
    public var lastReceivedAt: Date?

    public init(
        hostID: String, lastSequence: Int64 = 0, batches: Int64 = 0, records: Int64 = 0, duplicates: Int64 = 0, missing: Int64 = 0,
        lastReceivedAt: Date? = nil
    ) {
        self.hostID = hostID
        self.lastSequence = lastSequence
        self.batches = batches
        self.records = records
        self.duplicates = duplicates
        self.missing = missing
        self.lastReceivedAt = lastReceivedAt
    }
}

/// The outcome of ingesting one request's batches.
public struct IngestResult: Sendable, Equatable {
    /// The cursor after ingest: the agent may drop every batch up to `cursor.lastSequence`.
    public var cursor: ReportCursor
    public var applied: Int
    public var duplicates: Int
    public var records: Int
    /// Age of the oldest applied batch (outbox lag), if any was applied.
    public var oldestBatchAge: TimeInterval?

    public init(cursor: ReportCursor, applied: Int, duplicates: Int, records: Int, oldestBatchAge: TimeInterval?) {
        self.cursor = cursor
        self.applied = applied
        self.duplicates = duplicates
        self.records = records
        self.oldestBatchAge = oldestBatchAge
    }
}
