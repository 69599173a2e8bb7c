import Foundation
import MarqueeAgent
import MarqueeCore

/// Something that happens to a simulated fleet while it runs (a WAN outage, a bad kernel, …).
///
/// Scenarios act only through the simulated world (links, runtimes), never on the tower, so the
/// tower sees what it would see from a real fleet. Later issues add scenarios to
/// ``ScenarioRegistry``.
public protocol Scenario: Sendable {
    /// How `marquee sim --scenario` names it, with its arguments, e.g. `wan-outage DE`.
    var title: String { get }
    func run(in context: ScenarioContext) async throws
}

/// What a scenario can touch and tell.
public struct ScenarioContext: Sendable {
    public let network: SimulatedNetwork
    public let clock: any FleetClock
    /// The agents' heartbeat interval; scenarios time themselves in intervals so `--speed` and
    /// offline detection stay in step.
    public let heartbeatInterval: Duration
    public let sites: [Site]
    public let hosts: [EdgeHost]
    /// Outbox status of each simulated host in a country (all hosts for `nil`), by host id.
    public let outboxes: @Sendable (_ country: String?) async -> [String: OutboxStatus]
    /// Each simulated host's container runtime, by host id (to slow it down, for instance).
    public let runtimes: [String: SimulatedRuntime]
    /// A line for the operator watching (stdout when headless, the log otherwise).
    public let narrate: @Sendable (String) -> Void
}

/// Why a scenario cannot be made.
public enum ScenarioError: Error, Equatable, CustomStringConvertible, InputError {
    case unknown(String, known: [String])
    case badArguments(scenario: String, usage: String, reason: String)

    public var description: String {
        switch self {
        case .unknown(let name, let known): "no scenario '\(name)'; known: \(known.joined(separator: ", "))"
        case .badArguments(let scenario, let usage, let reason): "\(scenario): \(reason) (usage: \(usage))"
        }
    }
}

/// Every scenario the simulator knows, by name.
public enum ScenarioRegistry {
    public struct Entry: Sendable {
        public let name: String
        public let usage: String
        public let summary: String
        let make: @Sendable ([String]) throws(ScenarioError) -> any Scenario
    }

    public static let entries: [Entry] = [
        Entry(name: "steady", usage: "steady", summary: "Every host calls home on schedule; nothing goes wrong.") { arguments throws(ScenarioError) in
            guard arguments.isEmpty else { throw .badArguments(scenario: "steady", usage: "steady", reason: "takes no arguments") }
            return SteadyScenario()
        },
        Entry(
            name: "wan-outage", usage: "wan-outage COUNTRY",
            summary: "A country's theaters lose the tower for 12 heartbeat intervals, keep reporting into their outboxes, then flush them."
        ) { arguments throws(ScenarioError) in
            guard arguments.count == 1, let country = arguments.first, country.count == 2, country.allSatisfy(\.isLetter) else {
                throw .badArguments(scenario: "wan-outage", usage: "wan-outage COUNTRY", reason: "give one ISO country code, e.g. DE")
            }
            return WANOutageScenario(country: country.uppercased())
        },
        Entry(
            name: "kernel-regression", usage: "kernel-regression [KERNEL RUNTIME-VERSION]",
            summary:
                "After 3 intervals, hosts running containerd 1.7.13 on kernel 6.1.0-18-amd64 (or the given pair) answer their probes 4× slower."
        ) { arguments throws(ScenarioError) in
            switch arguments.count {
            case 0: return KernelRegressionScenario()
            case 2: return KernelRegressionScenario(kernel: arguments[0], runtimeVersion: arguments[1])
            default:
                throw .badArguments(
                    scenario: "kernel-regression", usage: "kernel-regression [KERNEL RUNTIME-VERSION]",
                    reason: "give a kernel release and a containerd version, e.g. 6.1.0-18-amd64 1.7.13, or nothing")
            }
        },
        Entry(
            name: "stolen-hardware", usage: "stolen-hardware [SITE]",
            summary:
                "After 3 intervals, two hosts of one theater (the first Belgian one, or SITE) vanish after hours while the third keeps calling home."
        ) { arguments throws(ScenarioError) in
            guard arguments.count <= 1 else {
                throw .badArguments(scenario: "stolen-hardware", usage: "stolen-hardware [SITE]", reason: "give at most one site id")
            }
            return StolenHardwareScenario(siteID: arguments.first)
        },
    ]

    /// The scenario `name` with `arguments`.
    public static func make(_ name: String, arguments: [String] = []) throws(ScenarioError) -> any Scenario {
        guard let entry = entries.first(where: { $0.name == name }) else { throw .unknown(name, known: entries.map(\.name)) }
        return try entry.make(arguments)
    }
}

/// Nothing happens.
public struct SteadyScenario: Scenario {
    public init() {}
    public var title: String { "steady" }
    public func run(in context: ScenarioContext) async throws {}
}

/// A country's WAN goes down, then comes back; its hosts flush their outboxes.
struct WANOutageScenario: Scenario {
    let country: String
    /// Intervals of normal running before the cut.
    var calmIntervals = 3
    /// Intervals the country stays cut off (long enough for the tower to see it offline).
    var outageIntervals = 12

    var title: String { "wan-outage \(country)" }

    func run(in context: ScenarioContext) async throws {
        let sites = context.sites.filter { $0.country == country }
        guard !sites.isEmpty else {
            context.narrate("wan-outage: the fleet has no theaters in \(country); nothing to cut")
            return
        }
        let name = CountryNames.name(for: country)
        try await context.clock.sleep(for: context.heartbeatInterval * calmIntervals)
        let before = OutboxTotals(await context.outboxes(country).values)
        context.network.cutOff(country: country)
        context.narrate(
            "wan-outage: \(name) (\(sites.count) theaters, \(before.hosts) hosts) lost the tower; their agents keep reporting into their outboxes")
        try await context.clock.sleep(for: context.heartbeatInterval * outageIntervals)
        let held = await context.outboxes(country)
        context.network.restore(country: country)
        let heldTotals = OutboxTotals(held.values)
        context.narrate("wan-outage: \(name) is back; \(heldTotals.pending) report batches waiting in \(heldTotals.hosts) outboxes")
        // The backlog is delivered once every host's tower cursor passed what it held at the restore
        // (agents back off while cut off, so some take a few intervals to notice).
        var now = held
        for _ in 0..<(outageIntervals * 4) {
            try await context.clock.sleep(for: context.heartbeatInterval)
            now = await context.outboxes(country)
            if held.allSatisfy({ host, status in (now[host]?.acknowledged ?? 0) >= status.lastSequence }) { break }
        }
        let totals = OutboxTotals(now.values)
        let late = held.filter { host, status in (now[host]?.acknowledged ?? 0) < status.lastSequence }.count
        context.narrate(
            "wan-outage: \(name) flushed; \(heldTotals.created - before.acknowledged) batches taken since the cut are at the tower"
                + (late > 0 ? ", \(late) hosts still catching up" : "") + ", \(totals.dropped) lost")
    }
}
