import Foundation
import Logging
import MarqueeCore
import ServiceLifecycle

/// Deletes log lines older than ``maximumAge`` and the oldest beyond ``maximumLines``, every ten
/// minutes of the tower's clock.
struct LogRetentionService: Service {
    let store: any LogStore
    let clock: any FleetClock
    let logger: Logger
    var maximumAge: TimeInterval = 7 * 86_400
    var maximumLines = 20_000_000

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let deleted = try await store.pruneLogs(before: clock.now().addingTimeInterval(-maximumAge), maximumLines: maximumLines)
                    if deleted > 0 { logger.debug("Pruned log lines", metadata: ["lines": "\(deleted)"]) }
                } catch {
                    logger.error("Log retention failed", metadata: ["error": "\(error)"])
                }
                try await clock.sleep(for: .seconds(600))
            }
        }
    }
}
