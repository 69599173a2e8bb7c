import Logging
import MarqueeCore
import ServiceLifecycle

/// Every heartbeat interval, turns hosts that stopped calling home offline (with an event each).
struct OfflineSweepService<Store: LifecycleStore & InventoryReading>: Service {
    let lifecycle: HostLifecycle<Store>
    let clock: any FleetClock
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await clock.sleep(for: lifecycle.heartbeatInterval)
                do {
                    let hosts = try await lifecycle.sweep()
                    for host in hosts {
                        logger.info("Host went offline", metadata: ["host.id": "\(host.id)", "site.id": "\(host.siteID)"])
                    }
                } catch {
                    logger.error("Offline sweep failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
