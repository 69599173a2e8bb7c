/// A whole fleet's inventory at once: what the generator produces and the store writes in one transaction.
public struct FleetSnapshot: Sendable, Equatable {
    public var tenants: [Tenant]
    public var sites: [Site]
    /// Clusters with their hosts.
    public var clusters: [Cluster]
    public var applications: [Application]
    public var containers: [ContainerInstance]
    public var events: [Event]
    /// Sites each application-owner tenant may deploy to.
    public var siteAssignments: [SiteAssignment]
    /// The specs of the application versions the fleet runs.
    public var applicationSpecs: [ApplicationSpec]

    public init(
        tenants: [Tenant], sites: [Site], clusters: [Cluster], applications: [Application] = [],
        containers: [ContainerInstance] = [], events: [Event] = [], siteAssignments: [SiteAssignment] = [],
        applicationSpecs: [ApplicationSpec] = []
    ) {
        self.tenants = tenants
        self.sites = sites
        self.clusters = clusters
        self.applications = applications
        self.containers = containers
        self.events = events
        self.siteAssignments = siteAssignments
        self.applicationSpecs = applicationSpecs
    }

    /// Every host of every cluster.
    public var hosts: [EdgeHost] { clusters.flatMap(\.hosts) }
}
