import Foundation

/// Places an application's replicas on a site's hosts: spread across hosts, within capacity.
public enum SiteScheduler {
    /// A host that can take work and what it has left.
    public struct Candidate: Sendable, Equatable {
        public var host: EdgeHost
        /// Capacity minus what already runs there (other applications).
        public var free: ResourceRequest
        public var instances: Int

        public init(host: EdgeHost, free: ResourceRequest, instances: Int = 0) {
            self.host = host
            self.free = free
            self.instances = instances
        }
    }

    /// No host had room for a replica.
    public struct Unschedulable: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The containers to run for `application` on `candidates` (hosts that are online and not cordoned).
    ///
    /// Replicas of a service go to different hosts while there are hosts left, each time to the
    /// host with the most free memory that fits the replica; the env and args keep their
    /// `${…}` references (resolved per host when desired state is sent).
    public static func place(_ application: ApplicationSpec, on candidates: [Candidate], now: Date) throws(Unschedulable) -> [ContainerInstance] {
        try place(application, on: candidates, keeping: [:])
    }

    /// `current` with the instances of `application` that sit on hosts outside `candidates` (offline
    /// or cordoned) moved to candidates; instances already on a candidate stay where they are.
    ///
    /// Other versions' instances in `current` are returned unchanged. Moved instances start over
    /// (state `created`); the spread and capacity rules of ``place(_:on:now:)`` apply.
    public static func reschedule(
        _ application: ApplicationSpec, current: [ContainerInstance], on candidates: [Candidate]
    ) throws(Unschedulable) -> (containers: [ContainerInstance], moved: [ContainerInstance]) {
        let hostIDs = Set(candidates.map(\.host.id))
        let mine = current.filter { $0.version == application.version }
        let others = current.filter { $0.version != application.version }
        var kept: [ReplicaKey: String] = [:]
        for instance in mine where hostIDs.contains(instance.hostID) {
            if let key = ReplicaKey(instance) { kept[key] = instance.hostID }
        }
        let moved = mine.filter { !hostIDs.contains($0.hostID) }
        guard !moved.isEmpty else { return (current, []) }
        let placed = try place(application, on: candidates, keeping: kept)
        let existing = Dictionary(mine.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // Kept instances keep their state, restarts and runtime ids.
        let containers = placed.map { existing[$0.id] ?? $0 }
        return (others + containers, moved)
    }

    /// A replica of a service: the part of an instance id that survives a move between hosts.
    struct ReplicaKey: Hashable {
        var service: String
        var replica: Int

        /// From an instance id `host/app/service-N[/container]`.
        init?(_ instance: ContainerInstance) {
            let parts = instance.id.split(separator: "/")
            guard parts.count >= 3, let dash = parts[2].lastIndex(of: "-"), let replica = Int(parts[2][parts[2].index(after: dash)...]) else {
                return nil
            }
            self.init(service: instance.service, replica: replica)
        }

        init(service: String, replica: Int) {
            self.service = service
            self.replica = replica
        }
    }

    /// Places every replica; those in `keeping` go to the host named there (it must be a candidate).
    private static func place(
        _ application: ApplicationSpec, on candidates: [Candidate], keeping: [ReplicaKey: String]
    ) throws(Unschedulable) -> [ContainerInstance] {
        guard !candidates.isEmpty else { throw Unschedulable(description: "no host of the site is online and schedulable") }
        var hosts = candidates
        var containers: [ContainerInstance] = []
        for service in application.services {
            let need = service.containers.reduce(ResourceRequest()) { $0 + $1.resources }
            var used: Set<String> = []
            var chosenHosts: [Int: Int] = [:]
            // Pinned replicas first, so the others spread around them.
            for replica in 0..<service.replicas {
                if let hostID = keeping[ReplicaKey(service: service.name, replica: replica)],
                    let index = hosts.firstIndex(where: { $0.host.id == hostID })
                {
                    chosenHosts[replica] = index
                    used.insert(hostID)
                    hosts[index].free = hosts[index].free - need
                    hosts[index].instances += 1
                }
            }
            for replica in 0..<service.replicas where chosenHosts[replica] == nil {
                let fitting = hosts.indices.filter { need.fits(in: hosts[$0].free) }
                guard !fitting.isEmpty else {
                    let free = hosts.map { "\($0.host.id) has \(format($0.free))" }.joined(separator: ", ")
                    throw Unschedulable(
                        description:
                            "no host has room for \(application.name)/\(service.name) replica \(replica + 1) (needs \(format(need))): \(free)")
                }
                let fresh = fitting.filter { !used.contains(hosts[$0].host.id) }
                let pool = fresh.isEmpty ? fitting : fresh
                let chosen = pool.min { a, b in
                    (hosts[a].instances, -hosts[a].free.memoryBytes, hosts[a].host.id) < (
                        hosts[b].instances, -hosts[b].free.memoryBytes, hosts[b].host.id
                    )
                }!
                used.insert(hosts[chosen].host.id)
                hosts[chosen].free = hosts[chosen].free - need
                hosts[chosen].instances += 1
                chosenHosts[replica] = chosen
            }
            for replica in 0..<service.replicas {
                let hostID = hosts[chosenHosts[replica]!].host.id
                for container in service.containers {
                    let suffix = service.containers.count > 1 ? "/\(container.name)" : ""
                    containers.append(
                        ContainerInstance(
                            id: "\(hostID)/\(application.name)/\(service.name)-\(replica)\(suffix)", app: application.name, service: service.name,
                            tenantID: application.tenant, hostID: hostID, runtimeInstanceID: "", image: container.image, version: application.version,
                            state: .created, restarts: 0, startedAt: nil))
                }
            }
        }
        return containers
    }

    static func format(_ resources: ResourceRequest) -> String {
        let cpu = resources.cpu < 1 ? "\(Int((resources.cpu * 1_000).rounded()))m CPU" : String(format: "%.1f CPU", resources.cpu)
        return "\(cpu), \(resources.memoryBytes >> 20) MiB"
    }

    /// The container spec an instance runs, from its id (`host/app/service-N[/container]`).
    public static func containerSpec(for instance: ContainerInstance, in application: ApplicationSpec) -> ContainerSpec? {
        guard let service = application.services.first(where: { $0.name == instance.service }) else { return nil }
        let parts = instance.id.split(separator: "/")
        if parts.count >= 4, let container = service.containers.first(where: { $0.name == parts[3] }) { return container }
        return service.containers.first
    }
}
