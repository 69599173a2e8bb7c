import Foundation

/// A running (or finished) upgrade plan: its waves of sites and each site's progress, host by host.
///
/// Persisted whole after every change, so a restarted tower resumes at the step it was at.
public struct Upgrade: Codable, Sendable, Equatable, Identifiable {
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Working through its waves.
        case running
        /// An operator paused it: hosts in flight finish, no new host starts.
        case paused
        /// More sites halted than `max-failed` allows: hosts in flight finish, nothing new starts.
        case halted
        /// An operator aborted it: the host in flight finishes safely, then nothing more.
        case aborted
        case completed

        /// Whether the plan may still start hosts (later, for paused).
        public var isActive: Bool { self == .running || self == .paused }
    }

    public var id: String { plan.name }
    public var plan: UpgradePlan
    public var state: State
    /// Why it is halted, aborted or paused.
    public var reason: String?
    /// Site ids per wave, in order; the first is the canary when ``hasCanary``.
    public var waves: [[String]]
    public var hasCanary: Bool
    /// Progress per site id.
    public var sites: [String: SiteUpgrade]
    public var createdAt: Date
    public var updatedAt: Date
    public var actor: String

    public init(
        plan: UpgradePlan, waves: [[String]], hasCanary: Bool, sites: [String: SiteUpgrade], createdAt: Date, actor: String,
        state: State = .running
    ) {
        self.plan = plan
        self.state = state
        self.waves = waves
        self.hasCanary = hasCanary
        self.sites = sites
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.actor = actor
    }

    /// The first wave with a site not yet finished (nil when all are).
    public var currentWave: Int? {
        waves.firstIndex { wave in wave.contains { sites[$0].map { !$0.phase.isFinished } ?? false } }
    }

    /// Sites per phase.
    public var phaseCounts: [SiteUpgrade.Phase: Int] {
        Dictionary(grouping: sites.values, by: \.phase).mapValues(\.count)
    }

    /// Hosts upgraded so far, and hosts to upgrade in all.
    public var hostProgress: (done: Int, total: Int) {
        sites.values.reduce((0, 0)) { ($0.0 + $1.doneHosts.count, $0.1 + $1.hosts.count) }
    }
}

/// One site's upgrade: its hosts in order, strictly one at a time.
public struct SiteUpgrade: Codable, Sendable, Equatable {
    public enum Phase: String, Codable, Sendable, CaseIterable {
        /// Its wave has not started.
        case queued
        /// Its wave started; waiting for a maintenance window (or for the plan to resume).
        case waiting
        /// A host is going through its steps.
        case upgrading
        /// Every host runs the targets.
        case done
        /// A host failed a step: the site keeps serving on its other hosts; nothing more happens here.
        case halted
        /// Nothing to do (every host already at the targets, or none online).
        case skipped

        public var isFinished: Bool { self == .done || self == .halted || self == .skipped }
    }

    /// A host's steps, in order.
    public enum Step: String, Codable, Sendable, CaseIterable {
        /// No new instances go to it.
        case cordon
        /// Its instances move to the site's other hosts, each replacement healthy before the old one stops.
        case drain
        /// The agent runs the upgrade action (and usually reboots); waiting for it to return.
        case upgrade
        /// It came back with the target versions and takes instances again; the site must stay
        /// healthy (instances running, probes not regressed) for `healthy-for`.
        case gate
    }

    public var siteID: String
    public var wave: Int
    public var phase: Phase
    /// Hosts to upgrade, in order.
    public var hosts: [String]
    public var doneHosts: [String]
    /// The host in flight.
    public var host: String?
    public var step: Step?
    /// When the current step began.
    public var stepSince: Date?
    /// When the gate's conditions last started holding.
    public var healthySince: Date?
    /// Whether the host in flight was seen silent (rebooting) since its upgrade was ordered.
    public var wentDown: Bool
    public var startedAt: Date?
    public var finishedAt: Date?
    /// What is happening or what went wrong, for an operator.
    public var reason: String?
    /// Instances not running per `app/service` when the site's first host started: the gate asks
    /// for no more than these (a container that was already crash-looping does not block the
    /// upgrade forever; one the upgrade broke does). Nil in plans stored before it existed.
    public var notRunningBefore: [String: Int]?

    public init(siteID: String, wave: Int, hosts: [String] = []) {
        self.siteID = siteID
        self.wave = wave
        self.phase = .queued
        self.hosts = hosts
        self.doneHosts = []
        self.wentDown = false
    }
}

/// What the engine needs to know about one site now.
public struct UpgradeSiteObservation: Sendable {
    public var timeZone: TimeZone
    public var hosts: [EdgeHost]
    /// Instances per host id.
    public var containers: [String: [ContainerInstance]]
    /// Why the site's probes count as regressed against its pre-upgrade baseline, if they do.
    public var probeRegression: String?
    /// The latest reason a move off a draining host could not be placed (from the scheduler).
    public var drainProblem: String?
    /// The site is locked down: no host of it starts an upgrade until it is unlocked.
    public var lockedDown: Bool = false

    public init(
        timeZone: TimeZone, hosts: [EdgeHost], containers: [String: [ContainerInstance]], probeRegression: String? = nil,
        drainProblem: String? = nil, lockedDown: Bool = false
    ) {
        self.lockedDown = lockedDown
        self.timeZone = timeZone
        self.hosts = hosts
        self.containers = containers
        self.probeRegression = probeRegression
        self.drainProblem = drainProblem
    }

    public func host(_ id: String) -> EdgeHost? { hosts.first { $0.id == id } }

    /// Instances not running, per `app/service`.
    public var notRunningByService: [String: Int] {
        var counts: [String: Int] = [:]
        for container in containers.values.joined() where container.state != .running {
            counts["\(container.app)/\(container.service)", default: 0] += 1
        }
        return counts
    }

    /// The services with more instances not running than `before` (every instance must run when
    /// there is no baseline), e.g. `kiosk/api: 1 not running (0 before)`; empty when none.
    public func worseThan(_ before: [String: Int]?) -> [String] {
        notRunningByService.sorted { $0.key < $1.key }.compactMap { service, count in
            let baseline = before?[service] ?? 0
            return count > baseline ? "\(service): \(count) not running (\(baseline) before)" : nil
        }
    }
}

/// What the engine asks the tower to do.
public enum UpgradeAction: Sendable, Equatable {
    /// No new instances on the host; the scheduler moves its instances away, make-before-break.
    case cordon(hostID: String)
    /// Tell the host's agent to install the targets (host status `upgrading`).
    case orderUpgrade(hostID: String)
    /// The host takes instances again (status `online`), its upgrade order cleared.
    case uncordon(hostID: String)
    case event(kind: String, severity: Event.Severity, subject: String, message: String)
}
