import Logging
import MarqueeCore
import ServiceLifecycle

/// Advances every rollout and upgrade plan and moves containers off offline or cordoned hosts, on
/// the tower's clock (a scaled clock in a fast demo).
struct RolloutTickService: Service {
    let deployments: DeploymentService
    let upgrades: UpgradeService?
    let clock: any FleetClock
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await deployments.tick()
                } catch {
                    logger.error("Rollout tick failed", metadata: ["error": "\(error)"])
                }
                do {
                    try await deployments.reschedule()
                } catch {
                    logger.error("Rescheduling failed", metadata: ["error": "\(error)"])
                }
                do {
                    try await upgrades?.tick()
                } catch {
                    logger.error("Upgrade tick failed", metadata: ["error": "\(error)"])
                }
                try await clock.sleep(for: interval)
            }
        }
    }
}
