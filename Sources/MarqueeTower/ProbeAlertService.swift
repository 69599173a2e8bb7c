import Logging
import MarqueeCore
import ServiceLifecycle

/// Judges every application's probes each minute of the tower's clock and records
/// `probe.degraded` / `probe.recovered` events per (application, theater), with hysteresis
/// (``ProbeAlerts``). Alert state lives in memory: after a restart, theaters still degraded are
/// raised again once their streak is long enough.
struct ProbeAlertService: Service {
    let probes: any ProbeAPI
    let events: any EventLog
    let clock: any FleetClock
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var alerts = ProbeAlerts()
            while !Task.isCancelled {
                do {
                    let reports = try await probes.probeCohorts(app: nil, policy: DegradationPolicy())
                    for event in alerts.evaluate(reports, now: clock.now()) { _ = try await events.record(event) }
                } catch {
                    logger.error("Probe judging failed", metadata: ["error": "\(error)"])
                }
                try await clock.sleep(for: .seconds(60))
            }
        }
    }
}
