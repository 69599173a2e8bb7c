import CSpawn
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A child process the agent starts: a container's command, a probe's command, `journalctl`, an
/// upgrade command.
///
/// It is started with `posix_spawn` with an empty signal mask and default signal handling, in its
/// own process group. Foundation's `Process` hands its child the mask of the thread that starts it
/// (swift-corelibs-foundation#4772); on a Swift concurrency or dispatch worker thread that blocks
/// SIGTERM and most other signals, so a container never saw its stop signal and was killed after the
/// grace period, and a probe command that overran its timeout kept running.
///
/// The child is reaped by ``termination`` (never blocking) and signalled only while it has not been
/// reaped, so a reused process id is never signalled.
public final class ChildProcess: Sendable {
    /// Where a standard output stream goes.
    public enum Sink: Sendable {
        /// `/dev/null`.
        case discard
        /// A pipe whose reading end is ``standardOutput`` or ``standardError``.
        case pipe
        /// Standard error only: the same place as standard output.
        case standardOutput
    }

    /// How the child ended.
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    /// Why a child could not be started.
    public struct SpawnError: Error, CustomStringConvertible {
        public let command: String
        public let reason: String
        public var description: String { "cannot start `\(command)`: \(reason)" }
    }

    public let pid: pid_t
    /// The reading end of standard output when it is a ``Sink/pipe``.
    public let standardOutput: FileHandle?
    /// The reading end of standard error when it is a ``Sink/pipe``.
    public let standardError: FileHandle?
    private let ended = Mutex<Termination?>(nil)

    /// Starts `executable` (an absolute path) with `arguments` (without the program name).
    /// - Parameters:
    ///   - environment: the child's whole environment; `nil` passes the agent's.
    ///   - directory: the working directory; `nil` keeps the agent's.
    ///   - input: standard input is `/dev/null`.
    public init(
        executable: String, arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        standardOutput stdout: Sink = .discard, standardError stderr: Sink = .discard
    ) throws(SpawnError) {
        let command = ([executable] + arguments).joined(separator: " ")
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var catchable = sigset_t()
        sigfillset(&catchable)
        sigdelset(&catchable, SIGKILL)
        sigdelset(&catchable, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &catchable)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        defer { for descriptor in childEnds { close(descriptor) } }
        func wire(_ sink: Sink, to target: Int32) throws(SpawnError) -> FileHandle? {
            switch sink {
            case .discard:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
                return nil
            case .standardOutput:
                posix_spawn_file_actions_adddup2(&actions, 1, target)
                return nil
            case .pipe:
                var ends: [Int32] = [0, 0]
                guard cspawn_pipe_cloexec(&ends) == 0 else { throw SpawnError(command: command, reason: String(cString: strerror(errno))) }
                parentEnds.append(ends[0])
                childEnds.append(ends[1])
                posix_spawn_file_actions_adddup2(&actions, ends[1], target)
                return FileHandle(fileDescriptor: ends[0], closeOnDealloc: true)
            }
        }
        let output: FileHandle?
        let error: FileHandle?
        do {
            output = try wire(stdout, to: 1)
            error = try wire(stderr, to: 2)
        } catch {
            for descriptor in parentEnds { close(descriptor) }
            throw error
        }
        // Nothing else of the agent's (its database, its sockets) reaches the child.
        cspawn_addclosefrom(&actions, 3)
        if let directory { cspawn_addchdir(&actions, directory) }

        let environment = environment ?? ProcessInfo.processInfo.environment
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else {
            // The handles close their ends as they go.
            _ = (output, error)
            throw SpawnError(command: command, reason: String(cString: strerror(status)))
        }
        self.pid = pid
        self.standardOutput = output
        self.standardError = error
    }

    /// How it ended, or `nil` while it runs. Reaps it on the first call after it ended.
    public var termination: Termination? {
        ended.withLock { ended in
            if let ended { return ended }
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                let signal = status & 0x7F
                ended = signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
            } else if result < 0, errno == ECHILD {
                ended = .exited(-1)
            }
            return ended
        }
    }

    public var isRunning: Bool { termination == nil }

    /// Sends `signal` to the child, or with `group` to its process group (what it started too),
    /// unless it has already been reaped.
    public func send(_ signal: Int32, group: Bool = false) {
        ended.withLock { ended in
            guard ended == nil else { return }
            if !group || kill(-pid, signal) != 0 { kill(pid, signal) }
        }
    }

    /// Waits until it has ended (checking every 10 ms, cancelled or not) and reaps it.
    @discardableResult
    public func waitForExit() async -> Termination {
        while true {
            if let termination { return termination }
            await Self.pause(milliseconds: 10)
        }
    }

    /// SIGTERM, and SIGKILL to its process group if it has not ended within `grace`; waits until
    /// it is reaped, but no more than 5 s after the SIGKILL (a process stuck in the kernel, on a dead
    /// NFS mount say, cannot hold the caller forever). `nil` when it is still there.
    @discardableResult
    public func stop(grace: Duration) async -> Termination? {
        send(SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isRunning, ContinuousClock.now < deadline { await Self.pause(milliseconds: 20) }
        send(SIGKILL, group: true)
        let killed = ContinuousClock.now + .seconds(5)
        while isRunning, ContinuousClock.now < killed { await Self.pause(milliseconds: 20) }
        return termination
    }

    /// A pause that a cancelled task waits out too: stopping a child is what a cancelled source does,
    /// and `Task.sleep` would return at once and spin.
    private static func pause(milliseconds: Int) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) { continuation.resume() }
        }
    }

    deinit {
        // A child nobody waited for is reaped if it has ended, rather than left a zombie.
        _ = termination
    }
}
