import Foundation
import Logging
import MarqueeAgent
import MarqueeCore
import MarqueeTestSupport
import Testing

@Suite struct HostLogSourceTests {
    static let utc = TimeZone(identifier: "UTC")!

    @Test func aSyslogTailReadsNewLinesJoinsTracesAndFollowsRotation() throws {
        let directory = try TemporaryDirectory(prefix: "marquee-syslog")
        defer { directory.remove() }
        let path = directory.file("syslog")
        try "Nov 27 01:00:00 h1 old: written before the agent started\n".write(toFile: path, atomically: false, encoding: .utf8)
        var tail = SyslogFileTail(path: path, timeZone: Self.utc)
        let now = Fixtures.now
        #expect(tail.poll(now: now).isEmpty)

        try Self.append(
            path,
            "Nov 28 01:59:00 h1 app[9]: Traceback (most recent call last):\n  File \"main.py\", line 3\nValueError: x\n<27>Nov 28 01:59:30 h1 containerd[4]: task exi"
        )
        // The trace ends with "ValueError" (no header: a continuation) and waits for the next record;
        // the half-written line waits for its end
        #expect(tail.poll(now: now).isEmpty)
        try Self.append(path, "ted\n")
        let first = tail.poll(now: now)
        try #require(first.count == 1)
        #expect(first[0].entry.message == "Traceback (most recent call last):\n  File \"main.py\", line 3\nValueError: x")
        #expect(first[0].entry.source == "app")
        #expect(first[0].time == now.addingTimeInterval(-60))
        // Quiet: the record being joined is complete
        let second = tail.poll(now: now)
        #expect(second.map(\.entry.message) == ["task exited"])
        #expect(second.first?.entry.layer == .runtime && second.first?.entry.severity == .error)

        // Rotation: the old file moves away, a new one starts under the same name and is read from its start
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        try "Nov 28 02:00:00 h1 rsyslogd: rotated\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(tail.poll(now: now).isEmpty)
        #expect(tail.poll(now: now).map(\.entry.message) == ["rotated"])
        // Truncation (copytruncate) to less than was read: read again from the start
        try "Nov 28 02:00:01 h1 x: cut\n".write(toFile: path, atomically: false, encoding: .utf8)
        _ = tail.poll(now: now)
        #expect(tail.poll(now: now).map(\.entry.message) == ["cut"])
    }

    @Test func theCollectorBoundsItsBufferAndSaysWhatItDropped() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-hostlogs")
        defer { directory.remove() }
        let present = directory.file("messages")
        FileManager.default.createFile(atPath: present, contents: nil)
        let collector = HostLogCollector(
            sources: [SyslogFileSource(path: present), SyslogFileSource(path: directory.file("absent"))], clock: ManualClock(),
            logger: Logger(label: "test"))
        await collector.start()
        await collector.stop()
        let opening = await collector.sample(at: Fixtures.now).compactMap(\.log?.message)
        #expect(opening.count == 1)
        #expect(opening.first?.contains("syslog:\(present) available") == true)
        #expect(opening.first?.contains("absent does not exist") == true)

        let flood = (1...12_000).map {
            TimedLogEntry(time: Fixtures.now, entry: LogEntry(severity: .info, layer: .kernel, source: "kmsg", message: "line \($0)"))
        }
        await collector.accept(flood, from: "kmsg")
        var lines: [String] = []
        var notices: [String] = []
        for _ in 0..<5 {
            let records = await collector.sample(at: Fixtures.now).compactMap(\.log)
            lines += records.filter { $0.layer == .kernel }.map(\.message)
            notices += records.filter { $0.layer == .agent }.map(\.message)
        }
        // Every kept line arrives once, in order, over several reports (each within its byte budget); the rest is counted
        #expect(lines.count == 10_000)
        #expect(lines.first == "line 1" && lines.last == "line 10000")
        #expect(notices == ["2000 lines dropped from kmsg: more than 10000 lines were waiting to be reported"])
    }

    @Test(.enabled(if: FileManager.default.isWritableFile(atPath: "/dev/kmsg"), "needs a writable /dev/kmsg (root)"))
    func kernelMessagesAreReadFromDevKmsg() throws {
        let reader = try KernelMessageReader(bootTime: Date())
        let marker = "marquee-test \(UUID().uuidString)"
        let kmsg = try #require(FileHandle(forWritingAtPath: "/dev/kmsg"))
        try kmsg.write(contentsOf: Data("<4>\(marker)\n".utf8))
        try kmsg.close()
        let read = reader.read(limit: 1_000, now: Date())
        let mine = try #require(read.first { $0.entry.message.contains(marker) })
        #expect(mine.entry.severity == .warning)
        #expect(mine.entry.layer == .kernel)
    }

    @Test func aFloodingContainerIsCutWithAVisibleCountAndNothingIsLostSilently() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-flood")
        defer { directory.remove() }
        let logger = Logger(label: "test")
        let clock = ManualClock()
        let supervisor = ContainerSupervisor(
            driver: ProcessDriver(logDirectory: directory.file("logs"), logger: logger), host: CombinedReporter([]), clock: clock, logger: logger)
        let lines = 200_000
        let id = "h1/flood/flood-0"
        await supervisor.apply(
            DesiredState(
                hostID: "h1", revision: 1,
                containers: [
                    ContainerInstance(
                        id: id, app: "flood", service: "flood", tenantID: "t", hostID: "h1", runtimeInstanceID: "", image: "flood:1", version: "1",
                        state: .created, restarts: 0, startedAt: nil)
                ],
                specs: [id: ContainerSpec(name: "flood", image: "flood:1", command: ["sh", "-c", "seq 1 \(lines); printf 'the end'"])]))
        var shipped: [String] = []
        var dropped = 0
        // Waits for the real process to end (its exit is reported once its output is read to the end)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            await supervisor.reconcile()
            let batch = await supervisor.sample(at: clock.now()).compactMap(\.log)
            for entry in batch {
                if entry.layer == .app { shipped.append(entry.message) }
                if entry.layer == .agent, let count = entry.message.firstMatch(of: /^(\d+) lines dropped/).flatMap({ Int($0.1) }) { dropped += count }
            }
            if await supervisor.containers.first?.restarts == 1 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let ended = await supervisor.containers.first
        #expect(ended?.restarts == 1, "\(ended?.detail ?? "")")
        #expect(dropped > 0)
        // Shipped + counted = everything it wrote; its last line (no newline) arrives too
        #expect(shipped.count + dropped == lines + 1)
        #expect(shipped.last == "the end")
        #expect(shipped.dropLast().map { Int($0)! } == shipped.dropLast().map { Int($0)! }.sorted())
        // The log file on the host keeps every line
        let file = try String(contentsOfFile: directory.file("logs/h1_flood_flood-0.log"), encoding: .utf8)
        #expect(file.split(separator: "\n").count == lines + 1)
    }

    /// A stack trace whose lines two passes of the supervisor read is still one record.
    @Test func aStackTraceSplitAcrossTwoPassesIsOneRecord() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-trace")
        defer { directory.remove() }
        let logger = Logger(label: "test")
        let clock = ManualClock()
        let driver = ProcessDriver(logDirectory: directory.file("logs"), logger: logger)
        let supervisor = ContainerSupervisor(driver: driver, host: CombinedReporter([]), clock: clock, logger: logger)
        let go = directory.file("go")
        let id = "h1/trace/trace-0"
        let script = """
            echo 'Traceback (most recent call last):'
            while [ ! -e \(go) ]; do sleep 0.02; done
            printf '  File "/app/server.py", line 12, in handle\\n    raise ValueError(x)\\nValueError: boom\\n'
            """
        await supervisor.apply(
            DesiredState(
                hostID: "h1", revision: 1,
                containers: [
                    ContainerInstance(
                        id: id, app: "trace", service: "trace", tenantID: "t", hostID: "h1", runtimeInstanceID: "", image: "trace:1", version: "1",
                        state: .created, restarts: 0, startedAt: nil)
                ],
                specs: [id: ContainerSpec(name: "trace", image: "trace:1", command: ["sh", "-c", script])]))
        var shipped: [String] = []
        // Passes until it is started (a starting pass reads no output), then one reads the head line;
        // only then is the rest written.
        let deadline = Date().addingTimeInterval(120)
        var runtimeID = ""
        while Date() < deadline, runtimeID.isEmpty {
            await supervisor.reconcile()
            runtimeID = await supervisor.containers.first?.runtimeInstanceID ?? ""
            if runtimeID.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        let detail = await supervisor.containers.first?.detail ?? ""
        #expect(!runtimeID.isEmpty, "not started: \(detail)")
        while Date() < deadline, await driver.recentOutput(of: runtimeID).isEmpty {
            try await Task.sleep(for: .milliseconds(20))
        }
        await supervisor.reconcile()
        shipped += await supervisor.sample(at: clock.now()).compactMap(\.log).filter { $0.layer == .app }.map(\.message)
        // The rest arrives before the next pass reads (a pass that reads nothing ships what it held).
        _ = FileManager.default.createFile(atPath: go, contents: nil)
        while Date() < deadline, await driver.recentOutput(of: runtimeID).count < 4 {
            try await Task.sleep(for: .milliseconds(20))
        }
        while Date() < deadline, await supervisor.containers.first?.restarts != 1 {
            await supervisor.reconcile()
            shipped += await supervisor.sample(at: clock.now()).compactMap(\.log).filter { $0.layer == .app }.map(\.message)
            try await Task.sleep(for: .milliseconds(20))
        }
        shipped += await supervisor.sample(at: clock.now()).compactMap(\.log).filter { $0.layer == .app }.map(\.message)
        #expect(
            shipped == [
                "Traceback (most recent call last):\n  File \"/app/server.py\", line 12, in handle\n    raise ValueError(x)", "ValueError: boom",
            ])
    }

    static func append(_ path: String, _ text: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }
}
