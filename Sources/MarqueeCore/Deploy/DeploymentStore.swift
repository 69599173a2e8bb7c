import Foundation

/// Storage for the deployment engine: specs, rollouts, placed containers.
public protocol DeploymentStore: QuotaStore {
    func applicationSpecs() async throws -> [ApplicationSpec]
    func applicationSpec(name: String, version: String) async throws -> ApplicationSpec?
    func deploymentSpecs() async throws -> [DeploymentSpec]
    /// Stores specs, new rollouts and events in one transaction.
    func saveSpecs(_ specs: SpecSet, rollouts: [Rollout], events: [Event], actor: String, gitCommit: String?, at time: Date) async throws
    /// Removes the deployments of `applications` (their containers stay until replaced), in one transaction.
    func deleteDeployments(_ applications: [String], events: [Event]) async throws

    func rollouts() async throws -> [Rollout]
    func rollout(id: String) async throws -> Rollout?
    /// Rollouts the engine must still look at: active ones, completed ones with sites pending, and
    /// halted ones with sites still in progress.
    func workingRollouts() async throws -> [Rollout]
    func saveRollout(_ rollout: Rollout, events: [Event]) async throws

    func assignedSites(tenantID: String) async throws -> Set<String>
    /// Sites with at least one host online or degraded.
    func onlineSites() async throws -> Set<String>
    /// For each site: its time zone, whether a host is online, and `application`'s containers there.
    func observations(application: String, siteIDs: [String]) async throws -> [String: SiteObservation]
    /// The version of `application` each site runs (the most common among its containers).
    func runningVersions(application: String) async throws -> [String: String]
    /// The site's hosts that can take work, with what they have left after other applications.
    func schedulingCandidates(siteID: String, excludingApplication: String) async throws -> [SiteScheduler.Candidate]
    /// Containers on hosts that cannot run them any more (cordoned, or offline and last seen before
    /// `offlineBefore`) at sites that still have a host online and not cordoned.
    func displacedContainers(offlineBefore: Date) async throws -> [DisplacedContainer]
    /// Replaces `application`'s containers at the site with `containers`; returns every host whose
    /// desired state changed.
    func replaceContainers(siteID: String, application: String, with containers: [ContainerInstance]) async throws -> [String]
    /// ``replaceContainers(siteID:application:with:)`` and recording `events`, in one transaction.
    func replaceContainers(siteID: String, application: String, with containers: [ContainerInstance], events: [Event]) async throws -> [String]
    /// Each application's versions and health per site, with its deployment and latest rollout.
    func applicationStatuses(siteID: String?) async throws -> [ApplicationStatus]
}

/// A container whose host went offline or was cordoned, at a site where other hosts can take it.
public struct DisplacedContainer: Sendable, Equatable {
    public var siteID: String
    public var hostStatus: HostStatus
    public var container: ContainerInstance

    public init(siteID: String, hostStatus: HostStatus, container: ContainerInstance) {
        self.siteID = siteID
        self.hostStatus = hostStatus
        self.container = container
    }
}
