import Foundation

/// A real terminal for end-to-end console tests: a detached tmux session on its own server socket.
public final class TmuxSession: Sendable {
    /// Name of the tmux server socket (unique per session, so parallel tests never share one).
    public let socket: String
    public let name = "console"

    /// Starts `command` in a new `width`×`height` terminal. After it exits, the shell prints `EXIT=<status>`.
    public init(command: [String], width: Int, height: Int, environment: [String: String]) throws {
        socket = "marquee-test-\(UUID().uuidString.prefix(8))"
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote($0.value))" }.joined(separator: " ")
        let line = "env \(assignments) \(command.map(Self.quote).joined(separator: " ")); echo EXIT=$?; sleep 60"
        try tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", line])
    }

    deinit {
        close()
    }

    /// Stops the tmux server and everything running in it.
    public func close() {
        _ = try? tmux(["kill-server"])
    }

    /// Sends keys in tmux `send-keys` syntax (`Enter`, `Escape`, `C-c`, or literal text with `literal: true`).
    public func send(_ keys: String..., literal: Bool = false) throws {
        try tmux(["send-keys", "-t", name] + (literal ? ["-l"] : []) + keys)
    }

    public func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The visible screen as text.
    public func capture() throws -> String {
        try tmux(["capture-pane", "-p", "-t", name])
    }

    /// Waits until the screen satisfies `condition` (checked every 50 ms, up to `timeout`).
    ///
    /// This waits for output, not for time: it returns as soon as the screen shows what is expected.
    @discardableResult
    public func waitFor(
        timeout: Duration = .seconds(20), _ description: String, _ condition: (String) -> Bool
    ) throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var screen = ""
        while clock.now < deadline {
            screen = try capture()
            if condition(screen) { return screen }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TmuxError.timedOut(waitingFor: description, screen: screen)
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    public func waitFor(_ text: String, timeout: Duration = .seconds(20)) throws -> String {
        try waitFor(timeout: timeout, "'\(text)'") { $0.contains(text) }
    }

    /// Runs tmux with `posix_spawn` and `waitpid`.
    ///
    /// Foundation's `Process` notices a child's exit through a descriptor the child inherits; the
    /// server that `new-session` forks keeps it open, so `waitUntilExit` would never return.
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let scratch = try TemporaryDirectory(prefix: "marquee-tmux-out")
        defer { scratch.remove() }
        let path = scratch.file("out")
        let argv = ["tmux", "-L", socket, "-f", "/dev/null"] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw TmuxError.failed(arguments.first ?? "", Int32(spawned)) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitStatus = (status >> 8) & 0xFF
        guard status & 0x7F == 0, exitStatus == 0 else { throw TmuxError.failed(arguments.first ?? "", exitStatus) }
        return String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }

    private static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Why a tmux interaction failed.
public enum TmuxError: Error, CustomStringConvertible {
    case failed(String, Int32)
    case timedOut(waitingFor: String, screen: String)

    public var description: String {
        switch self {
        case .failed(let command, let status): "tmux \(command) exited with \(status) (is tmux installed?)"
        case .timedOut(let what, let screen): "timed out waiting for \(what); the screen shows:\n\(screen)"
        }
    }
}
