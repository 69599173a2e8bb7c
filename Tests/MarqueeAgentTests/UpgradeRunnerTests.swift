import Foundation
import Logging
import MarqueeAgent
import MarqueeCore
import MarqueeTestSupport
import Testing

/// A real upgrade command runs once per order with the targets in its environment, and its output
/// reaches the tower as `os` lines from source `upgrade`.
@Suite struct UpgradeRunnerTests {
    @Test func theUpgradeCommandRunsOncePerOrderAndItsOutputBecomesLogLines() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-upgrade")
        defer { directory.remove() }
        let script = directory.file("upgrade.sh")
        try """
        #!/bin/sh
        echo "installing kernel=$MARQUEE_UPGRADE_KERNEL runtime=${MARQUEE_UPGRADE_RUNTIME:-unchanged} for $MARQUEE_UPGRADE_PLAN"
        echo "a warning on stderr" >&2
        exit 0
        """.write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let logs = HostLogCollector(sources: [], clock: SystemClock(), logger: Logger(label: "test"))
        let (done, signal) = AsyncStream<Void>.makeStream()
        let runner = UpgradeRunner(
            command: script, timeout: .seconds(60), dataDirectory: directory.path, logs: logs, clock: SystemClock(), logger: Logger(label: "test"),
            finished: { signal.yield() })
        let order = HostUpgradeOrder(plan: "kernel-6.1.0-20", targets: UpgradeTargets(kernel: "6.1.0-20-amd64"), orderedAt: Fixtures.now)
        #expect(runner.handle(order))
        var finished = done.makeAsyncIterator()
        _ = await finished.next()

        let lines = await logs.sample(at: Date()).compactMap(\.log)
        #expect(lines.allSatisfy { $0.layer == .os && $0.source == "upgrade" })
        let text = lines.map(\.message)
        #expect(text.contains("installing kernel=6.1.0-20-amd64 runtime=unchanged for kernel-6.1.0-20"), "\(text)")
        #expect(text.contains("a warning on stderr"))
        #expect(text.last?.hasSuffix("upgrade.sh finished") == true, "\(text)")

        // The same order (after a reboot, say) does not run again; a new one does.
        #expect(!runner.handle(order))
        #expect(
            !UpgradeRunner(
                command: script, timeout: .seconds(60), dataDirectory: directory.path, logs: logs, clock: SystemClock(),
                logger: Logger(label: "test"), finished: {}
            ).handle(order))
        let failing = directory.file("fail.sh")
        try "#!/bin/sh\necho 'E: Unable to locate package'\nexit 100\n".write(toFile: failing, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: failing)
        let second = UpgradeRunner(
            command: failing, timeout: .seconds(60), dataDirectory: directory.path, logs: logs, clock: SystemClock(), logger: Logger(label: "test"),
            finished: { signal.yield() })
        #expect(second.handle(HostUpgradeOrder(plan: "runtime-2.0.1", targets: UpgradeTargets(runtime: "2.0.1"), orderedAt: Fixtures.now)))
        _ = await finished.next()
        let failed = await logs.sample(at: Date()).compactMap(\.log)
        #expect(failed.contains { $0.severity == .error && $0.message.hasSuffix("fail.sh exited with status 100") }, "\(failed.map(\.message))")
    }
}
