import Foundation
import Logging
import MarqueeCore
import ServiceLifecycle

/// Judges every application's probes each minute of the tower's clock and records
/// `probe.degraded` / `probe.recovered` events per (application, theater), with hysteresis
/// (``ProbeAlerts``). On start, alerts still active in the event log are restored, so a restarted
/// tower clears them when their theaters recover.
struct ProbeAlertService: Service {
    let probes: any ProbeAPI
    let events: any EventLog
    let clock: any FleetClock
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var alerts = ProbeAlerts()
            do {
                let recent = try await events.events(
                    EventQuery(limit: 10_000, since: clock.now().addingTimeInterval(-7 * 86_400), kindPrefix: "probe."))
                alerts.restore(ProbeAlert.alerts(from: recent), now: clock.now())
            } catch {
                logger.error("Could not restore probe alerts", metadata: ["error": "\(error)"])
            }
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
