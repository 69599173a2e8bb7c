import Foundation
import Logging
import MarqueeAgent
import MarqueeCore
import MarqueeTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Children the agent starts get a clean signal state and nothing of the agent's but their pipes.
@Suite struct ChildProcessTests {
    /// Started from a Swift task (a worker thread that blocks most signals), the child blocks none
    /// and ignores none of the standard signals (1–31; glibc keeps two real-time ones of its own):
    /// `cat` reads its own status after `env` hands over to it.
    @Test func aChildStartedFromATaskBlocksAndIgnoresNoSignal() async throws {
        let child = try ChildProcess(executable: "/usr/bin/env", arguments: ["cat", "/proc/self/status"], standardOutput: .pipe)
        let status = String(decoding: try #require(child.standardOutput).readDataToEndOfFile(), as: UTF8.self)
        #expect(await child.waitForExit() == .exited(0))
        let fields = Dictionary(
            status.split(separator: "\n").compactMap { line -> (String, String)? in
                let parts = line.split(separator: ":", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces)) : nil
            }, uniquingKeysWith: { first, _ in first })
        #expect(fields["SigBlk"] == "0000000000000000", "\(fields["SigBlk"] ?? status)")
        let ignored = try #require(fields["SigIgn"].flatMap { UInt64($0, radix: 16) })
        #expect(ignored & 0x7FFF_FFFF == 0, "\(String(ignored, radix: 16))")
    }

    @Test func stopEndsItWithSIGTERMAndExitStatusesAreReported() async throws {
        let sleeper = try ChildProcess(executable: "/usr/bin/env", arguments: ["sleep", "60"])
        #expect(sleeper.isRunning)
        #expect(await sleeper.stop(grace: .seconds(30)) == .signalled(SIGTERM))
        #expect(!sleeper.isRunning)
        // Signalling a reaped child does nothing (its id may belong to another process by now).
        sleeper.send(SIGKILL)

        let three = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "exit 3"])
        #expect(await three.waitForExit() == .exited(3))

        let missing = #expect(throws: ChildProcess.SpawnError.self) {
            try ChildProcess(executable: "/no/such/program", arguments: [])
        }
        #expect(missing?.description == "cannot start `/no/such/program`: No such file or directory")
    }

    /// A descriptor the agent holds open (its database, say) is not the child's.
    @Test func theAgentsOpenFilesDoNotReachTheChild() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-child")
        defer { directory.remove() }
        let secret = directory.file("agent.db")
        let descriptor = open(secret, O_CREAT | O_RDWR, 0o600)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let child = try ChildProcess(
            executable: "/bin/sh", arguments: ["-c", "for f in /proc/$$/fd/*; do readlink $f; done; true"], directory: directory.path,
            standardOutput: .pipe, standardError: .standardOutput)
        let listing = String(decoding: try #require(child.standardOutput).readDataToEndOfFile(), as: UTF8.self)
        #expect(await child.waitForExit() == .exited(0))
        #expect(!listing.contains("agent.db"), "\(listing)")
        #expect(listing.contains("/dev/null"), "\(listing)")
    }

    /// A container's command sees its stop signal and runs its own shutdown.
    @Test func aContainerShutsDownCleanlyOnStop() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-stop")
        defer { directory.remove() }
        let logs = directory.file("logs")
        let driver = ProcessDriver(logDirectory: logs, logger: Logger(label: "test"))
        let script = "trap 'echo draining connections; exit 0' TERM; echo up; while :; do sleep 0.05; done"
        let handle = try await driver.start(
            LaunchRequest(
                id: "h1/web/web-0", tenantID: "t", image: "web:1", arguments: ["sh", "-c", script], environment: [:], resources: ResourceRequest()))
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, await driver.recentOutput(of: handle.runtimeID).isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        await driver.stop(handle.runtimeID, grace: .seconds(60))
        let log = try FileManager.default.contentsOfDirectory(atPath: logs).map { try String(contentsOfFile: "\(logs)/\($0)", encoding: .utf8) }
        #expect(log.joined().contains("stdout draining connections\n"), "\(log)")
    }
}
