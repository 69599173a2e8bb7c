import Foundation
import MarqueeCore
import Synchronization

/// How a simulated host's upgrade goes wrong (`marquee demo --upgrade-fault HOST=FAULT`).
public enum SimulatedUpgradeFault: String, Sendable, CaseIterable {
    /// Reboots and never calls home again.
    case neverReturns = "never-returns"
    /// Comes back, but still on its old kernel (or old runtime when the plan leaves the kernel alone).
    case wrongVersion = "wrong-version"
    /// Comes back with the targets, but every container answers 3× slower.
    case slow
}

extension SimulatedRuntime {
    /// The host's facts now (they change when an upgrade completes).
    public var facts: HostFacts {
        advance(to: now())
        return state.withLock { $0.facts }
    }

    /// Whether the host is rebooting (its link to the tower is down) at `time`.
    public func isDown(at time: Date) -> Bool {
        advance(to: time)
        return state.withLock { state in state.upgrade.map { time >= $0.downAt } ?? false }
    }

    private func advance(to time: Date) {
        state.withLock { Self.advanceUpgrade(&$0, at: time) }
    }

    /// Starts carrying out a new upgrade order: a few seconds to stop, then a reboot of 1.5–4 minutes.
    static func takeUpgradeOrder(_ order: HostUpgradeOrder?, state: inout State, at time: Date) {
        guard let order, state.upgrade == nil, !state.finishedOrders.contains(Self.key(order)) else { return }
        let downAt = time.addingTimeInterval(Double.random(in: 3...8, using: &state.generator).rounded())
        let reboot = Double.random(in: 90...240, using: &state.generator).rounded()
        state.upgrade = (order, downAt, state.upgradeFault == .neverReturns ? .distantFuture : downAt.addingTimeInterval(reboot))
    }

    /// Finishes the upgrade in progress once its reboot is over: new facts, maybe a fault.
    static func advanceUpgrade(_ state: inout State, at time: Date) {
        guard let upgrade = state.upgrade, time >= upgrade.upAt else { return }
        var targets = upgrade.order.targets
        if state.upgradeFault == .wrongVersion {
            if targets.kernel != nil { targets.kernel = nil } else { targets.runtime = nil }
        }
        state.facts = targets.applied(to: state.facts)
        state.finishedOrders.insert(key(upgrade.order))
        state.upgrade = nil
        state.latencyFactor = state.upgradeFault == .slow ? 3 : 1
        applyRegression(&state)
    }

    static func key(_ order: HostUpgradeOrder) -> String { "\(order.plan)@\(order.orderedAt.timeIntervalSince1970)" }
}
