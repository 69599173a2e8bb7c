import Logging
import MarqueeCore
import ServiceLifecycle

/// Every heartbeat interval, turns hosts that stopped calling home offline (with an event each) —
/// but only over time the tower itself was listening (``ListeningWindow``): right after it starts,
/// after a stall, or while heartbeats wait in its own queue, it holds its judgement.
struct OfflineSweepService<Store: LifecycleStore & InventoryReading>: Service {
    let lifecycle: HostLifecycle<Store>
    let clock: any FleetClock
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var window = lifecycle.listeningWindow()
            while !Task.isCancelled {
                try await clock.sleep(for: lifecycle.heartbeatInterval)
                let deafness = window.judge(at: clock.now(), queuedFor: await lifecycle.heartbeatQueueWait())
                switch deafness {
                case nil: break
                case .justStarted, .recovering: continue
                case .sweepLate(let seconds):
                    logger.warning(
                        "The offline sweep ran late; silent hosts get a full window before they count as offline",
                        metadata: ["late.seconds": "\(Int(seconds))"])
                    continue
                case .heartbeatsQueued(let seconds):
                    logger.warning(
                        "Heartbeats are waiting in the tower's queue; silent hosts get a full window before they count as offline",
                        metadata: ["queued.seconds": "\(Int(seconds))"])
                    continue
                }
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
