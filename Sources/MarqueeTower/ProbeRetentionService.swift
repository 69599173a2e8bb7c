import Logging
import MarqueeCore
import ServiceLifecycle

/// Deletes probe buckets past their retention (minutes after 48 h, hours after 30 days) every
/// ten minutes of the tower's clock.
struct ProbeRetentionService: Service {
    let store: any ProbeStore
    let clock: any FleetClock
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let deleted = try await store.compactProbes(now: clock.now())
                    if deleted > 0 { logger.debug("Compacted probe series", metadata: ["rows": "\(deleted)"]) }
                } catch {
                    logger.error("Probe retention failed", metadata: ["error": "\(error)"])
                }
                try await clock.sleep(for: .seconds(600))
            }
        }
    }
}
