import Foundation
import Logging
import MarqueeCore

/// Reconciles what the tower wants with what runs, through a ``RuntimeDriver``: starts missing
/// containers, restarts those that exit (exponential backoff, `failed` after three exits in a
/// row), runs their startup, liveness and readiness probes, and reports each container's state
/// (with the reason when something is wrong) in every sample.
public actor ContainerSupervisor: HostReporter, DesiredStateApplier {
    struct Managed {
        var instance: ContainerInstance
        var spec: ContainerSpec?
        var handle: RuntimeHandle?
        var consecutiveExits = 0
        var nextStart = Date.distantPast
        var startedAt: Date?
        var startupPassed = false
        var ready = false
        var failures: [ProbeSpec.Purpose: Int] = [:]
        /// Keyed by ``ProbeSpec/sampleName`` (an app may have several checks).
        var lastProbe: [String: Date] = [:]
        /// The last output line shipped (or held) from the running instance.
        var outputShipped = 0
        /// The last record of the previous pass, held one pass because its stack trace may go on.
        var heldOutput: (first: OutputLine, text: String)?
    }

    private let driver: any RuntimeDriver
    private let probes: ProbeChecker
    /// Each tenant's quota at this site, from the latest desired state.
    private var tenantLimits: [String: ResourceRequest] = [:]
    private let clock: any FleetClock
    private let host: any HostReporter
    private let logger: Logger
    /// Secrets for containers that reference them (a real agent's; the simulator runs none).
    private let secrets: EdgeVault?
    private var managed: [String: Managed] = [:]
    /// Probe results not yet reported, oldest first; bounded so a tower outage cannot grow it without end
    /// (the outbox keeps what was already reported).
    private var pendingSamples: [ReportRecord] = []
    /// Samples dropped because ``pendingSamples`` was full.
    public private(set) var droppedSamples = 0
    static let pendingSampleLimit = 10_000
    /// Log lines one report carries at most (≈ 1.3 MB at the longest lines, within the tower's 2 MiB body limit).
    static let logLinesPerReport = 1_000
    /// Bytes of log messages one report carries at most (with the host's 512 KiB, a batch stays
    /// under the tower's 2 MiB body limit).
    static let logBytesPerReport = 1_000_000
    /// Longest line shipped; longer ones are cut (the host's log file keeps them whole).
    static let maximumLineBytes = 1_024
    /// Longest multi-line record (a stack trace joined from its lines).
    static let maximumRecordBytes = 4_096

    /// - Parameter host: reports the host's own metrics alongside the containers.
    public init(
        driver: any RuntimeDriver, probes: ProbeChecker = ProbeChecker(), host: any HostReporter, secrets: EdgeVault? = nil, clock: any FleetClock,
        logger: Logger
    ) {
        self.secrets = secrets
        self.driver = driver
        self.probes = probes
        self.host = host
        self.clock = clock
        self.logger = logger
    }

    /// Forgets the site key and the sealed secrets: this host's credential was refused.
    public func credentialRefused() async {
        await secrets?.purge(reason: "this host's credential was refused by the tower (revoked?)")
    }

    /// Takes the new desired state: unchanged containers keep running; changed or removed ones stop.
    public func apply(_ desired: DesiredState) async {
        await secrets?.accept(desired.secrets)
        await secrets?.accept(peers: desired.peers ?? [], keyShare: desired.keyShare)
        tenantLimits = desired.tenantLimits ?? [:]
        let wanted = Dictionary(uniqueKeysWithValues: desired.containers.map { ($0.id, $0) })
        for (id, current) in managed {
            let next = wanted[id]
            if next == nil || next?.version != current.instance.version || next?.image != current.instance.image || desired.specs[id] != current.spec
            {
                if let handle = current.handle {
                    var stopping = current
                    await shipOutput(&stopping, handle: handle, now: clock.now(), flush: true)  // its last lines first
                    await driver.stop(handle.runtimeID, grace: .seconds(5))
                }
                managed[id] = nil
                logger.info("Stopped container", metadata: ["container.id": "\(id)", "reason": "\(next == nil ? "removed" : "replaced")"])
            }
        }
        for (id, instance) in wanted where managed[id] == nil {
            var container = instance
            container.state = .created
            container.restarts = 0
            container.detail = nil
            managed[id] = Managed(instance: container, spec: desired.specs[id])
        }
    }

    /// One pass: start what is due, notice exits, run due probes.
    public func reconcile() async {
        let now = clock.now()
        for id in managed.keys.sorted() {
            guard var container = managed[id] else { continue }
            await step(&container, now: now)
            if managed[id] != nil { managed[id] = container }
        }
    }

    /// Reconciles every `interval` until cancelled.
    public func run(every interval: Duration = .seconds(1)) async throws {
        while !Task.isCancelled {
            await reconcile()
            try await clock.sleep(for: interval)
        }
    }

    private func step(_ container: inout Managed, now: Date) async {
        guard let spec = container.spec else {
            container.instance.state = .failed
            container.instance.detail = "no spec for this container: it was placed before the deployment engine and cannot be run"
            return
        }
        guard let handle = container.handle else {
            guard now >= container.nextStart else { return }
            do {
                let (arguments, environment) =
                    try await secrets?.resolve(spec, tenantID: container.instance.tenantID) ?? (spec.command + spec.args, spec.env)
                let request = LaunchRequest(
                    id: container.instance.id, tenantID: container.instance.tenantID, image: container.instance.image, arguments: arguments,
                    environment: environment, resources: spec.resources, tenantLimit: tenantLimits[container.instance.tenantID],
                    network: spec.network ?? NetworkPolicy())
                container.handle = try await driver.start(request)
                container.instance.runtimeInstanceID = container.handle?.runtimeID ?? ""
                container.startedAt = now
                container.startupPassed = !spec.probes.contains { $0.purpose == .startup }
                container.ready = false
                container.failures = [:]
                container.lastProbe = [:]
                container.outputShipped = 0
                if container.instance.state != .failed { container.instance.state = .starting }
            } catch {
                container.consecutiveExits += 1
                container.instance.state = .failed
                container.instance.detail = error.description
                container.nextStart = now.addingTimeInterval(backoff(container.consecutiveExits))
            }
            return
        }
        await shipOutput(&container, handle: handle, now: now)
        if let exit = await driver.exit(of: handle.runtimeID) {
            // Its last lines (written after the pass above read the output), then release it.
            await shipOutput(&container, handle: handle, now: now, flush: true)
            let lastLine = await driver.recentOutput(of: handle.runtimeID).last?.text
            await driver.stop(handle.runtimeID, grace: .zero)
            container.handle = nil
            container.consecutiveExits += 1
            container.instance.restarts += 1
            let ranFor = container.startedAt.map { Int(now.timeIntervalSince($0)) } ?? 0
            var detail = "\(exit) after \(ranFor)s"
            if let lastLine, !lastLine.isEmpty { detail += " (last output: \(lastLine.prefix(100)))" }
            container.nextStart = now.addingTimeInterval(backoff(container.consecutiveExits))
            if container.consecutiveExits >= 3 {
                container.instance.state = .failed
                container.instance.detail = "\(detail); crash-looping (\(container.consecutiveExits) exits in a row)"
            } else {
                container.instance.state = .starting
                container.instance.detail = "\(detail); restarting in \(Int(backoff(container.consecutiveExits)))s"
            }
            logger.warning("Container exited", metadata: ["container.id": "\(container.instance.id)", "detail": "\(detail)"])
            return
        }
        await runProbes(&container, spec: spec, handle: handle, now: now)
    }

    private func runProbes(_ container: inout Managed, spec: ContainerSpec, handle: RuntimeHandle, now: Date) async {
        let namespace = spec.probes.isEmpty ? nil : await driver.networkNamespace(of: handle.runtimeID)
        for probe in spec.probes {
            if probe.purpose != .startup, !container.startupPassed { continue }
            if probe.purpose == .startup, container.startupPassed { continue }
            if let last = container.lastProbe[probe.sampleName], now.timeIntervalSince(last) < probe.interval { continue }
            container.lastProbe[probe.sampleName] = now
            let outcome = await probes.measure(probe, namespace: namespace)
            // A startup probe measures a boot, not the service: its failures while the process comes
            // up are expected (the threshold allows for them) and would read as errors in the app's
            // series and its alerts on every start. Its outcome shows in the container's state.
            if probe.purpose != .startup { record(outcome, of: probe, for: container.instance, at: now) }
            // A synthetic check is measured, never acted on.
            if probe.purpose == .check { continue }
            guard let failure = outcome.failure else {
                container.failures[probe.purpose] = 0
                if probe.purpose == .startup { container.startupPassed = true }
                if probe.purpose == .readiness { container.ready = true }
                continue
            }
            let count = (container.failures[probe.purpose] ?? 0) + 1
            container.failures[probe.purpose] = count
            guard count >= probe.failureThreshold else { continue }
            switch probe.purpose {
            case .readiness:
                container.ready = false
                container.instance.detail = "readiness probe failed \(count) times: \(failure)"
            case .check:
                continue
            case .startup, .liveness:
                // Restart: the exit is noticed on the next pass and counts like a crash.
                container.instance.detail = "\(probe.purpose.rawValue) probe failed \(count) times: \(failure); restarting"
                logger.warning(
                    "Probe failed; restarting", metadata: ["container.id": "\(container.instance.id)", "probe": "\(probe.purpose.rawValue)"])
                await driver.stop(handle.runtimeID, grace: .seconds(2))
                container.handle = nil
                container.consecutiveExits += 1
                container.instance.restarts += 1
                container.nextStart = now.addingTimeInterval(backoff(container.consecutiveExits))
                container.instance.state = container.consecutiveExits >= 3 ? .failed : .starting
                return
            }
        }
        let hasReadiness = spec.probes.contains { $0.purpose == .readiness }
        if !container.startupPassed {
            container.instance.state = container.instance.state == .failed ? .failed : .starting
        } else if !hasReadiness || container.ready {
            if container.instance.state != .running {
                container.instance.startedAt = now
                container.instance.detail = container.handle?.limitsNote
            }
            container.instance.state = .running
            container.consecutiveExits = 0
        } else if (container.failures[.readiness] ?? 0) >= (spec.probes.first { $0.purpose == .readiness }?.failureThreshold ?? 3) {
            container.instance.state = .unhealthy
        }
    }

    /// Queues the container's new output lines as `app` log records; a gap (the container wrote
    /// faster than the driver keeps lines between two passes) becomes one "N lines dropped" record.
    ///
    /// A stack trace's indented lines join the line they continue (same stream). The last record of
    /// a pass is held until the next one, which may bring more of it; it goes when that pass brings
    /// a new record or nothing, when it is full, or with `flush` (the container has exited).
    private func shipOutput(_ container: inout Managed, handle: RuntimeHandle, now: Date, flush: Bool = false) async {
        let lines = await driver.recentOutput(of: handle.runtimeID).filter { $0.sequence > container.outputShipped }
        let id = container.instance.id
        if let first = lines.first, first.sequence > container.outputShipped + 1 {
            let dropped = first.sequence - container.outputShipped - 1
            queue(
                .log(
                    LogEntry(
                        severity: .warning, layer: .agent, source: "agent",
                        message: "\(dropped) lines dropped from \(id): it wrote faster than the agent ships (the host's log file has them all)",
                        container: id, runtimeInstance: handle.runtimeID), at: first.time))
        }
        var groups: [(first: OutputLine, text: String)] = container.heldOutput.map { [$0] } ?? []
        container.heldOutput = nil
        for line in lines {
            if let last = groups.last, last.first.stream == line.stream, MultilineJoiner.isContinuation(line.text),
                last.text.utf8.count < Self.maximumRecordBytes
            {
                groups[groups.count - 1].text += "\n" + line.text
            } else {
                groups.append((line, line.text))
            }
        }
        if !flush, !lines.isEmpty, let last = groups.last, last.text.utf8.count < Self.maximumRecordBytes {
            container.heldOutput = groups.removeLast()
        }
        for group in groups {
            queue(
                .log(
                    LogEntry(
                        severity: group.first.stream == .stderr ? .warning : .info, layer: .app, source: group.first.stream.rawValue,
                        message: LogText.cut(group.text, to: group.text.contains("\n") ? Self.maximumRecordBytes : Self.maximumLineBytes),
                        container: id, runtimeInstance: handle.runtimeID), at: group.first.time))
        }
        if let last = lines.last { container.outputShipped = last.sequence }
    }

    private func queue(_ record: ReportRecord) {
        guard pendingSamples.count < Self.pendingSampleLimit else {
            droppedSamples += 1
            return
        }
        pendingSamples.append(record)
    }

    /// Keeps a probe run for the next report.
    private func record(_ outcome: ProbeChecker.Outcome, of probe: ProbeSpec, for instance: ContainerInstance, at time: Date) {
        guard pendingSamples.count < Self.pendingSampleLimit else {
            droppedSamples += 1
            return
        }
        let sample = ProbeSample(
            app: instance.app, service: instance.service, container: instance.id, probe: probe.sampleName,
            latencyMilliseconds: outcome.latencyMilliseconds, success: outcome.failure == nil, status: outcome.status)
        pendingSamples.append(.probe(sample, at: time))
    }

    /// 1 s, 2 s, 4 s … capped at a minute.
    private func backoff(_ exits: Int) -> TimeInterval {
        min(60, pow(2, Double(max(0, exits - 1))))
    }

    public func sample(at time: Date) async -> [ReportRecord] {
        let containers = managed.values.sorted { $0.instance.id < $1.instance.id }.map { container in
            ReportRecord.container(
                ContainerStateReport(
                    id: container.instance.id, state: container.instance.state, restarts: container.instance.restarts,
                    version: container.instance.version.isEmpty ? nil : container.instance.version, detail: container.instance.detail,
                    runtimeInstanceID: container.handle?.runtimeID), at: time)
        }
        var samples = pendingSamples
        pendingSamples = []
        // Log lines per report are capped (a flooding container must not make batches the tower refuses):
        // the newest are kept (the last lines before a crash matter most), the excess is counted in one
        // visible record, and the agent's own "lines dropped" notices always go (they carry counts).
        // Newest first until the line or byte budget is spent (joined stack traces can be 4 KiB each).
        var budget = (lines: Self.logLinesPerReport, bytes: Self.logBytesPerReport)
        var keptLines = 0
        for record in samples.reversed() where record.kind == .log && record.log?.layer != .agent {
            let size = (record.log?.message.utf8.count ?? 0) + 128
            guard budget.lines > 0, budget.bytes >= size else { break }
            (budget.lines, budget.bytes, keptLines) = (budget.lines - 1, budget.bytes - size, keptLines + 1)
        }
        let lines = samples.count { $0.kind == .log && $0.log?.layer != .agent }
        let cut = lines - keptLines
        var seen = 0
        samples.removeAll { record in
            guard record.kind == .log, record.log?.layer != .agent else { return false }
            seen += 1
            return seen <= cut
        }
        if cut > 0 {
            samples.append(
                .log(
                    LogEntry(
                        severity: .warning, layer: .agent, source: "agent",
                        message:
                            "\(cut) lines dropped: more than \(Self.logLinesPerReport) log lines or \(Self.logBytesPerReport / 1_000) KB in one report interval"
                    ),
                    at: time))
        }
        return containers + samples + (await host.sample(at: time))
    }

    /// The containers as the supervisor sees them (for `marquee agent status` and tests).
    public var containers: [ContainerInstance] { managed.values.map(\.instance).sorted { $0.id < $1.id } }

    /// Stops every container (the agent is shutting down).
    public func stopAll() async {
        for container in managed.values {
            if let handle = container.handle { await driver.stop(handle.runtimeID, grace: .seconds(5)) }
        }
        managed = [:]
        await driver.release()
    }
}
