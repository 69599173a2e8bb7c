import Foundation
import Logging
import MarqueeCore
import Synchronization

/// Carries out the tower's upgrade orders on a real host: runs the operator's upgrade command once
/// per order, with a timeout, its output shipped as `os` log lines (source `upgrade`).
///
/// The command gets the targets in `MARQUEE_UPGRADE_OS`, `…_KERNEL`, `…_RUNTIME`, `…_AGENT` (unset
/// when not upgraded) and the plan in `MARQUEE_UPGRADE_PLAN`; it typically calls the distribution's
/// package manager and reboots. The order's key is written to `upgrade-done` in the data directory
/// before the command runs, so a reboot mid-command does not run it again; the agent then reports
/// its new facts (the tower checks the versions).
public final class UpgradeRunner: Sendable {
    let command: String?
    let timeout: Duration
    let stateFile: String
    let logs: HostLogCollector
    let clock: any FleetClock
    let logger: Logger
    /// Called when a command finished (the agent reads and sends its facts again).
    let finished: @Sendable () -> Void
    private let running = Mutex<String?>(nil)

    public init(
        command: String?, timeout: Duration, dataDirectory: String, logs: HostLogCollector, clock: any FleetClock, logger: Logger,
        finished: @escaping @Sendable () -> Void
    ) {
        self.command = command
        self.timeout = timeout
        self.stateFile = dataDirectory + "/upgrade-done"
        self.logs = logs
        self.clock = clock
        self.logger = logger
        self.finished = finished
    }

    /// The key of an order: its plan and when it was given.
    static func key(_ order: HostUpgradeOrder) -> String { "\(order.plan)@\(Int(order.orderedAt.timeIntervalSince1970))" }

    /// Starts `order` unless it already ran (or runs); returns whether it started.
    @discardableResult
    public func handle(_ order: HostUpgradeOrder?) -> Bool {
        guard let order else { return false }
        let key = Self.key(order)
        let done = (try? String(contentsOfFile: stateFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard done != key else { return false }
        let start = running.withLock { current -> Bool in
            guard current == nil else { return false }
            current = key
            return true
        }
        guard start else { return false }
        Task { await run(order, key: key) }
        return true
    }

    /// Whether an order is being carried out.
    public var isRunning: Bool { running.withLock { $0 != nil } }

    private func line(_ message: String, _ severity: LogSeverity = .info) async {
        let entry = LogEntry(severity: severity, layer: .os, source: "upgrade", message: message)
        await logs.accept([TimedLogEntry(time: clock.now(), entry: entry)], from: "upgrade")
    }

    func run(_ order: HostUpgradeOrder, key: String) async {
        defer {
            running.withLock { $0 = nil }
            finished()
        }
        guard let command else {
            await line("upgrade \(order.plan): asked to install \(order.targets), but this agent has no --upgrade-command", .error)
            logger.error("Upgrade ordered but no --upgrade-command", metadata: ["plan": "\(order.plan)"])
            return
        }
        do {
            try key.write(toFile: stateFile, atomically: true, encoding: .utf8)
        } catch {
            await line("upgrade \(order.plan): cannot record the order in \(stateFile): \(error); not running it", .error)
            return
        }
        await line("upgrade \(order.plan): running \(command) for \(order.targets)", .notice)
        var environment = ProcessInfo.processInfo.environment
        environment["MARQUEE_UPGRADE_PLAN"] = order.plan
        for (name, value) in [
            ("OS", order.targets.os), ("KERNEL", order.targets.kernel), ("RUNTIME", order.targets.runtime), ("AGENT", order.targets.agent),
        ] {
            environment["MARQUEE_UPGRADE_\(name)"] = value
        }
        let process: ChildProcess
        do {
            process = try ChildProcess(
                executable: command, arguments: [], environment: environment, standardOutput: .pipe, standardError: .standardOutput)
        } catch {
            await line("upgrade \(order.plan): \(error)", .error)
            return
        }
        guard let reader = process.standardOutput else { return }
        let timer = Task { [clock, timeout] in
            try await clock.sleep(for: timeout)
            if process.isRunning { await process.stop(grace: .seconds(10)) }
            return true
        }
        // Lines as they come, so a long upgrade shows its progress at the tower. The blocking reads
        // run on a dispatch thread, never on the cooperative pool.
        let (lines, continuation) = AsyncStream<String>.makeStream()
        DispatchQueue.global().async {
            var pending = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let text = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    if !text.isEmpty { continuation.yield(String(text.prefix(4_096))) }
                }
            }
            if !pending.isEmpty { continuation.yield(String(decoding: pending.prefix(4_096), as: UTF8.self)) }
            continuation.finish()
        }
        for await text in lines { await line(text) }
        timer.cancel()
        let timedOut = (try? await timer.value) == true
        if timedOut {
            await line("upgrade \(order.plan): \(command) did not finish within \(timeout); stopped it", .error)
        } else {
            switch await process.waitForExit() {
            case .exited(0): await line("upgrade \(order.plan): \(command) finished", .notice)
            case .exited(let status): await line("upgrade \(order.plan): \(command) exited with status \(status)", .error)
            case .signalled(let signal): await line("upgrade \(order.plan): \(command) was killed by signal \(signal)", .error)
            }
        }
    }
}

/// Applies desired states to the containers and hands upgrade orders to an ``UpgradeRunner``.
public struct UpgradingApplier: DesiredStateApplier {
    let containers: any DesiredStateApplier
    let upgrades: UpgradeRunner

    public init(containers: any DesiredStateApplier, upgrades: UpgradeRunner) {
        self.containers = containers
        self.upgrades = upgrades
    }

    public func apply(_ desired: DesiredState) async {
        await containers.apply(desired)
        upgrades.handle(desired.upgrade)
    }

    public func credentialRefused() async {
        await containers.credentialRefused()
    }
}
