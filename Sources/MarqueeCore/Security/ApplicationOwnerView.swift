/// What an application owner (the vendor) sees of the hosts its containers run on: where they
/// are and whether they are up, not the host's internals or other tenants' workloads.
public enum ApplicationOwnerView {
    /// `host` without its internals: serial, hostname, OS, kernel, runtime and agent versions are
    /// blanked; id, site, cluster, status, capacity and last-seen time stay.
    public static func host(_ host: EdgeHost) -> EdgeHost {
        var host = host
        host.serialNumber = ""
        host.hostname = host.id
        host.osName = ""
        host.osVersion = ""
        host.kernelRelease = ""
        host.runtimeName = ""
        host.runtimeVersion = ""
        host.agentVersion = ""
        return host
    }

    /// A host's detail narrowed to `tenantID`'s containers, without the host's events, report
    /// cursor and metrics.
    public static func detail(_ detail: HostDetail, tenantID: String) -> HostDetail {
        HostDetail(host: host(detail.host), site: detail.site, containers: detail.containers.filter { $0.tenantID == tenantID }, events: [])
    }
}
