import Metrics

/// Report-ingest figures, emitted through swift-metrics (the tower exports them on `/metrics`).
enum IngestMetrics {
    static let heartbeats = Counter(label: "marquee_heartbeats_total")
    static let batches = Counter(label: "marquee_report_batches_total")
    static let duplicateBatches = Counter(label: "marquee_report_duplicate_batches_total")
    static let records = Counter(label: "marquee_report_records_total")
    /// Heartbeats refused with 503 because the tower was too busy to apply them in time.
    static let shed = Counter(label: "marquee_heartbeats_shed_total")
    /// How long applied batches waited in agents' outboxes.
    static let outboxLag = Timer(label: "marquee_report_outbox_lag_seconds", preferredDisplayUnit: .seconds)

    static func recordShed(_ count: Int) { shed.increment(by: Int64(count)) }

    static func record(_ result: IngestResult) {
        heartbeats.increment()
        if result.applied > 0 { batches.increment(by: result.applied) }
        if result.duplicates > 0 { duplicateBatches.increment(by: result.duplicates) }
        if result.records > 0 { records.increment(by: result.records) }
        if let age = result.oldestBatchAge { outboxLag.recordNanoseconds(Int64(max(0, age) * 1_000_000_000)) }
    }
}
