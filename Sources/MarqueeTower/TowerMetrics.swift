import CoreMetrics
import MarqueeCore
import Metrics
import Prometheus

/// Prometheus export for everything the tower emits through swift-metrics.
///
/// Libraries (Hummingbird's `MetricsMiddleware`, Core's ingest counters) emit with swift-metrics;
/// this factory turns them into Prometheus collectors with conventional names (`_total` counters,
/// `_seconds` durations) and a `# HELP` line each, so `promtool check metrics` is clean.
public struct TowerMetricsFactory: MetricsFactory {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// swift-metrics label → Prometheus name and help.
    static let catalog: [String: (name: String, help: String)] = [
        "hb.requests": ("marquee_http_requests_total", "HTTP requests served, by route, method and status."),
        "hb.request.errors": ("marquee_http_request_errors_total", "HTTP requests that ended in an error, by route and status."),
        "http.server.request.duration": ("marquee_http_request_duration_seconds", "HTTP request latency, by route, method and status."),
        "http.server.active_requests": ("marquee_http_active_requests", "HTTP requests in flight, by method."),
        "marquee_heartbeats_total": ("marquee_heartbeats_total", "Agent heartbeats accepted."),
        "marquee_report_batches_total": ("marquee_report_batches_total", "Agent report batches applied (exactly once)."),
        "marquee_report_duplicate_batches_total": (
            "marquee_report_duplicate_batches_total", "Re-sent report batches recognised by sequence number and skipped."
        ),
        "marquee_report_records_total": ("marquee_report_records_total", "Report records ingested (container states, host metrics)."),
        "marquee_report_outbox_lag_seconds": (
            "marquee_report_outbox_lag_seconds", "How long applied report batches waited in agent outboxes before reaching the tower."
        ),
    ]

    private func descriptor(_ label: String) -> MetricNameDescriptor {
        let entry = Self.catalog[label] ?? (label, "Marquee metric \(label).")
        return MetricNameDescriptor(metricName: entry.name, unitName: "", helpText: entry.help)
    }

    private static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]
    private static let lagBuckets: [Duration] = [
        .seconds(1), .seconds(5), .seconds(15), .seconds(30), .seconds(60), .seconds(300), .seconds(900), .seconds(3_600), .seconds(86_400),
    ]

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: descriptor(label), labels: dimensions)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: descriptor(label), labels: dimensions)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let buckets = label.contains("outbox") ? Self.lagBuckets : Self.latencyBuckets
        return registry.makeDurationHistogram(descriptor: descriptor(label), labels: dimensions, buckets: buckets)
    }

    public func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    public func destroyRecorder(_ handler: any RecorderHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    public func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    public func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? DurationHistogram { registry.unregisterDurationHistogram(histogram) }
    }
}

/// The process-wide metrics registry: swift-metrics can be bootstrapped once per process.
public enum TowerMetrics {
    /// The registry `/metrics` exports; bootstraps swift-metrics with it on first use.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(TowerMetricsFactory(registry: registry))
        return registry
    }()

    private static var hostsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            metricName: "marquee_hosts", unitName: "", helpText: "Hosts known to the tower, by status.")
    }

    /// Sets the `marquee_hosts{status=…}` gauges (called on each scrape).
    static func setHostCounts(_ counts: HostCounts) {
        for status in HostStatus.allCases {
            registry.makeGauge(descriptor: hostsDescriptor, labels: [("status", status.rawValue)]).set(Double(counts[status]))
        }
    }

    /// The Prometheus text exposition of every metric.
    static func exposition() -> [UInt8] { registry.emitToBuffer() }
}
