import Foundation

/// What an infrastructure upgrade installs: target versions per component (any subset).
public struct UpgradeTargets: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Operating system version, e.g. `12.8` (compared with the host's `osVersion`).
    public var os: String?
    /// Kernel release, e.g. `6.1.0-20-amd64`.
    public var kernel: String?
    /// Container runtime version, e.g. `1.7.22` (the runtime's name stays).
    public var runtime: String?
    /// Marquee agent version.
    public var agent: String?

    public init(os: String? = nil, kernel: String? = nil, runtime: String? = nil, agent: String? = nil) {
        self.os = os
        self.kernel = kernel
        self.runtime = runtime
        self.agent = agent
    }

    public var isEmpty: Bool { os == nil && kernel == nil && runtime == nil && agent == nil }

    /// The components a host does not yet run at the target, e.g. `["kernel 6.1.0-18-amd64 → 6.1.0-20-amd64"]`.
    public func differences(from host: EdgeHost) -> [String] {
        var out: [String] = []
        if let os, host.osVersion != os { out.append("os \(host.osVersion) → \(os)") }
        if let kernel, host.kernelRelease != kernel { out.append("kernel \(host.kernelRelease) → \(kernel)") }
        if let runtime, host.runtimeVersion != runtime { out.append("runtime \(host.runtimeVersion) → \(runtime)") }
        if let agent, host.agentVersion != agent { out.append("agent \(host.agentVersion) → \(agent)") }
        return out
    }

    /// Whether `host` reports every target version.
    public func isMet(by host: EdgeHost) -> Bool { differences(from: host).isEmpty }

    /// The facts a host reports once upgraded (used by the simulator).
    public func applied(to facts: HostFacts) -> HostFacts {
        var facts = facts
        if let os { facts.osVersion = os }
        if let kernel { facts.kernelRelease = kernel }
        if let runtime { facts.runtimeVersion = runtime }
        if let agent { facts.agentVersion = agent }
        return facts
    }

    public var description: String {
        [os.map { "os \($0)" }, kernel.map { "kernel \($0)" }, runtime.map { "runtime \($0)" }, agent.map { "agent \($0)" }]
            .compactMap { $0 }.joined(separator: ", ")
    }
}

/// When a host counts as upgraded and healthy, and how long each step may take.
public struct UpgradeGates: Codable, Sendable, Equatable {
    /// How long the host and its site must stay healthy after the host rejoins.
    public var healthyFor: TimeInterval
    /// A site's probe p95 above its pre-upgrade baseline by this factor fails the gate.
    public var probeFactor: Double
    /// How long moving a host's instances to its peers may take.
    public var drainTimeout: TimeInterval
    /// How long a host may take to come back with the target versions.
    public var hostTimeout: TimeInterval

    public init(healthyFor: TimeInterval = 300, probeFactor: Double = 1.5, drainTimeout: TimeInterval = 600, hostTimeout: TimeInterval = 1_200) {
        self.healthyFor = healthyFor
        self.probeFactor = probeFactor
        self.drainTimeout = drainTimeout
        self.hostTimeout = hostTimeout
    }
}

/// A `kind: UpgradePlan`: which hosts get which versions, in what order, when, and how safely.
public struct UpgradePlan: Codable, Sendable, Equatable {
    /// Unique name, e.g. `containerd-1.7.22-se`.
    public var name: String
    public var targets: UpgradeTargets
    /// Label selector over sites (e.g. `country == SE`).
    public var select: String
    public var canary: CanaryPolicy?
    public var waves: WavePolicy
    /// When a host may start upgrading, in its site's local time; empty = any time.
    public var windows: [MaintenanceWindow]
    public var gates: UpgradeGates
    /// Halted sites tolerated; one more halts the plan.
    public var maxFailed: Int
    /// `file:line` the plan came from.
    public var source: String

    public init(
        name: String, targets: UpgradeTargets, select: String, canary: CanaryPolicy? = nil, waves: WavePolicy = .sitesInParallel(10),
        windows: [MaintenanceWindow] = [], gates: UpgradeGates = UpgradeGates(), maxFailed: Int = 0, source: String = ""
    ) {
        self.name = name
        self.targets = targets
        self.select = select
        self.canary = canary
        self.waves = waves
        self.windows = windows
        self.gates = gates
        self.maxFailed = maxFailed
        self.source = source
    }

    /// The plan's ordering and windows as a rollout policy (shared wave planning and window logic).
    var rolloutPolicy: RolloutPolicy {
        RolloutPolicy(canary: canary, waves: waves, healthyFor: gates.healthyFor, maxFailed: maxFailed, windows: windows)
    }

    /// Whether a host may start upgrading at a site in `timeZone` at `time`.
    public func windowOpen(at time: Date, timeZone: TimeZone) -> Bool { rolloutPolicy.windowOpen(at: time, timeZone: timeZone) }
}
