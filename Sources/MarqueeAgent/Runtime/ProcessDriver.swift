import Foundation
import Logging
import MarqueeCore
import Synchronization

/// The `process` runtime driver: each container's command runs as a child process of the agent,
/// with the spec's environment, its output captured (kept in memory and appended to
/// `DATA/logs/CONTAINER.log`), and CPU and memory limits applied through cgroups where writable.
/// With ``TenantNetworks`` each container runs in its tenant's network namespace.
/// The image is recorded but not pulled: the command runs from the host.
public actor ProcessDriver: RuntimeDriver {
    public nonisolated let name = "process"
    private let logDirectory: String
    private let limiter: CgroupLimiter
    private let networks: TenantNetworks?
    private let logger: Logger
    private var processes: [String: Running] = [:]

    struct Running {
        let process: ChildProcess
        let containerID: String
        let tenantID: String
        let output: OutputBuffer
        let namespace: TenantNetworks.Namespace?
    }

    /// - Parameter networks: run each container in its tenant's network namespace; `nil` runs them
    ///   in the host's.
    public init(logDirectory: String, limiter: CgroupLimiter = CgroupLimiter(), networks: TenantNetworks? = nil, logger: Logger) {
        self.logDirectory = logDirectory
        self.limiter = limiter
        self.networks = networks
        self.logger = logger
    }

    public func start(_ request: LaunchRequest) async throws(RuntimeError) -> RuntimeHandle {
        guard !request.arguments.isEmpty else {
            throw RuntimeError(
                "no command to run: the process driver runs a container's command on the host (image \(request.image) is only recorded)")
        }
        let namespace = try await networks?.namespace(for: request.tenantID, container: request.id, policy: request.network)
        let arguments = namespace.map { ["--net=\($0.path)", "--", "/usr/bin/env"] + request.arguments } ?? request.arguments
        var environment = ProcessInfo.processInfo.environment.filter { ["PATH", "LANG", "HOME", "TZ"].contains($0.key) }
        environment.merge(request.environment) { $1 }
        environment["MARQUEE_CONTAINER_ID"] = request.id
        let process: ChildProcess
        do {
            process = try ChildProcess(
                executable: namespace == nil ? "/usr/bin/env" : "/usr/bin/nsenter", arguments: arguments, environment: environment,
                directory: "/", standardOutput: .pipe, standardError: .pipe)
        } catch {
            await networks?.release(container: request.id)
            throw RuntimeError("cannot start `\(request.arguments.joined(separator: " "))`: \(error.reason)")
        }
        let output = OutputBuffer(file: logFile(for: request.id))
        for (handle, stream) in [(process.standardOutput, OutputLine.Stream.stdout), (process.standardError, .stderr)] {
            handle?.readabilityHandler = { handle in output.append(handle.availableData, stream: stream) }
        }
        let pid = process.pid
        let note = limiter.apply(pid: pid, id: request.id, tenantID: request.tenantID, resources: request.resources, tenantLimit: request.tenantLimit)
        if let note { logger.warning("\(note)", metadata: ["container.id": "\(request.id)"]) }
        processes[String(pid)] = Running(process: process, containerID: request.id, tenantID: request.tenantID, output: output, namespace: namespace)
        logger.info("Started container", metadata: ["container.id": "\(request.id)", "pid": "\(pid)", "image": "\(request.image)"])
        return RuntimeHandle(runtimeID: String(pid), limitsNote: note)
    }

    /// Reports the exit once the process has ended and its output has been read to the end, so
    /// ``recentOutput(of:)`` has its last lines; the instance is released by ``stop(_:grace:)``.
    public func exit(of runtimeID: String) async -> RuntimeExit? {
        guard let running = processes[runtimeID] else { return .status(-1) }
        guard let termination = running.process.termination else { return nil }
        // What is still in the pipes is read here, without blocking (a child it left behind may hold
        // them open): the handlers stop firing once the process is gone.
        for (handle, stream) in [(running.process.standardOutput, OutputLine.Stream.stdout), (running.process.standardError, .stderr)] {
            guard let handle else { continue }
            handle.readabilityHandler = nil
            running.output.drain(handle.fileDescriptor, stream: stream)
        }
        running.output.finish()
        switch termination {
        case .exited(let status): return .status(status)
        case .signalled(let signal): return .signal(signal)
        }
    }

    public func stop(_ runtimeID: String, grace: Duration) async {
        guard let running = processes[runtimeID] else { return }
        // SIGTERM, then SIGKILL to what it started too; its cgroups can only be removed once it is gone.
        await running.process.stop(grace: grace)
        await forget(runtimeID)
    }

    public func networkNamespace(of runtimeID: String) async -> String? {
        processes[runtimeID]?.namespace?.path
    }

    public func recentOutput(of runtimeID: String) async -> [OutputLine] {
        processes[runtimeID]?.output.lines ?? []
    }

    /// Stops every container (the agent is shutting down: with this driver they are its children).
    public func stopAll(grace: Duration) async {
        for id in Array(processes.keys) { await stop(id, grace: grace) }
        await release()
    }

    /// Removes the tenants' namespaces, uplinks and firewall table.
    public func release() async {
        await networks?.removeAll()
    }

    private func forget(_ runtimeID: String) async {
        guard let running = processes.removeValue(forKey: runtimeID) else { return }
        await networks?.release(container: running.containerID)
        running.process.standardOutput?.readabilityHandler = nil
        running.process.standardError?.readabilityHandler = nil
        limiter.remove(id: running.containerID, tenantID: running.tenantID)
    }

    private func logFile(for id: String) -> String {
        try? FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        return "\(logDirectory)/\(CgroupLimiter.groupName(id)).log"
    }
}

/// A container's output: the last lines in memory and every line appended to its log file.
final class OutputBuffer: Sendable {
    private struct State {
        var lines: [OutputLine] = []
        var partial: [OutputLine.Stream: String] = [:]
        var file: FileHandle?
        var total = 0
    }

    /// Lines kept in memory for the agent to ship; a container writing more between two reads
    /// (about a second) loses the excess from shipping — counted, and still in its log file.
    static let keep = 1_000
    private let state: Mutex<State>

    init(file path: String) {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = FileHandle(forWritingAtPath: path)
        _ = try? handle?.seekToEnd()
        state = Mutex(State(file: handle))
    }

    var lines: [OutputLine] { state.withLock { $0.lines } }

    /// Reads what `descriptor` holds now, without waiting for more.
    func drain(_ descriptor: Int32, stream: OutputLine.Stream) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            append(Data(buffer[0..<count]), stream: stream)
        }
    }

    /// The process ended: a last line without a newline is kept too.
    func finish() {
        state.withLock { state in
            for stream in [OutputLine.Stream.stdout, .stderr] {
                if let partial = state.partial.removeValue(forKey: stream), !partial.isEmpty {
                    Self.add([partial], stream: stream, at: Date(), to: &state)
                }
            }
        }
    }

    func append(_ data: Data, stream: OutputLine.Stream) {
        guard !data.isEmpty else { return }
        let time = Date()
        state.withLock { state in
            let text = (state.partial[stream] ?? "") + String(decoding: data, as: UTF8.self)
            var pieces = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            state.partial[stream] = pieces.removeLast()
            Self.add(pieces, stream: stream, at: time, to: &state)
        }
    }

    private static func add(_ pieces: [String], stream: OutputLine.Stream, at time: Date, to state: inout State) {
        guard !pieces.isEmpty else { return }
        let stamp = time.formatted(.iso8601)
        var file = ""
        for piece in pieces {
            state.total += 1
            state.lines.append(OutputLine(time: time, stream: stream, text: piece, sequence: state.total))
            file += "\(stamp) \(stream.rawValue) \(piece)\n"
        }
        try? state.file?.write(contentsOf: Data(file.utf8))
        if state.lines.count > keep { state.lines.removeFirst(state.lines.count - keep) }
    }
}
