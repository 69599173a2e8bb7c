import Foundation
import MarqueeCore

/// Generates a realistic theater-chain fleet, deterministically from a seed.
///
/// The same ``Options`` always give the same ``FleetSnapshot``, byte for byte, so tests,
/// benchmarks and demos can name a fleet by its seed.
public struct FleetGenerator: Sendable {
    /// What to generate.
    public struct Options: Sendable, Equatable {
        /// Number of theaters (sites); 3 hosts each.
        public var theaters: Int
        /// Random seed.
        public var seed: UInt64
        /// The "current time" the fleet is generated at (last-seen times are before it).
        public var now: Date

        public init(theaters: Int = 750, seed: UInt64 = 1, now: Date) {
            self.theaters = theaters
            self.seed = seed
            self.now = now
        }
    }

    /// Why options were refused.
    public enum OptionsError: Error, Equatable, CustomStringConvertible, InputError {
        case theaterCount(Int)

        public var description: String {
            switch self {
            case .theaterCount(let count): "--theaters must be between 1 and \(FleetGenerator.maximumTheaters), got \(count)"
            }
        }
    }

    /// Hosts per theater cluster.
    public static let hostsPerSite = 3
    /// Upper bound on theaters per generated fleet.
    public static let maximumTheaters = 50_000

    public let options: Options

    public init(_ options: Options) throws(OptionsError) {
        guard (1...Self.maximumTheaters).contains(options.theaters) else { throw .theaterCount(options.theaters) }
        self.options = options
    }

    /// Builds the fleet; `progress(done, total)` is called as sites are generated.
    public func generate(progress: (Int, Int) -> Void = { _, _ in }) -> FleetSnapshot {
        var random = SeededGenerator(seed: options.seed)
        var sites: [Site] = []
        var clusters: [Cluster] = []
        var containers: [ContainerInstance] = []
        var events: [Event] = []
        var serials = Set<String>()
        let total = options.theaters
        for (country, count) in WorldCatalog.apportion(total) where count > 0 {
            var perCity: [String: Int] = [:]
            var usedNames = Set<String>()
            let cityWeights = country.cities.enumerated().map { ($0.element, 1.0 / pow(Double($0.offset + 1), 0.9)) }
            for _ in 0..<count {
                let city = random.pick(cityWeights)
                let number = (perCity[city.code] ?? 0) + 1
                perCity[city.code] = number
                let site = makeSite(country: country, city: city, number: number, usedNames: &usedNames, random: &random)
                let cluster = makeCluster(site: site, serials: &serials, random: &random)
                containers += makeContainers(site: site, hosts: cluster.hosts, random: &random)
                events += hostEvents(cluster.hosts)
                sites.append(site)
                clusters.append(cluster)
                if sites.count % 50 == 0 || sites.count == total { progress(sites.count, total) }
            }
        }
        let order = sites.indices.sorted { sites[$0].id < sites[$1].id }
        sites = order.map { sites[$0] }
        clusters = order.map { clusters[$0] }
        events.sort { ($0.time, $0.subject) < ($1.time, $1.subject) }
        events.append(
            Event(
                time: options.now, kind: "fleet.generated", severity: .info, subject: "fleet",
                message: "Generated \(sites.count) theaters with \(clusters.count * Self.hostsPerSite) hosts (seed \(options.seed))",
                actor: "marquee fleet generate"))
        // The vendor is assigned the theaters that run its app today.
        let siteOfHost = Dictionary(uniqueKeysWithValues: clusters.flatMap(\.hosts).map { ($0.id, $0.siteID) })
        let assignments = Set(
            containers.filter { $0.tenantID == FleetCatalog.vendorTenant.id }.compactMap { container in
                siteOfHost[container.hostID].map { SiteAssignment(tenantID: container.tenantID, siteID: $0) }
            })
        return FleetSnapshot(
            tenants: [FleetCatalog.platformTenant, FleetCatalog.vendorTenant], sites: sites, clusters: clusters,
            applications: FleetCatalog.applications.map(\.0), containers: containers, events: events,
            siteAssignments: assignments.sorted { ($0.tenantID, $0.siteID) < ($1.tenantID, $1.siteID) },
            applicationSpecs: FleetCatalog.applicationSpecs)
    }

    private func makeSite(
        country: WorldCatalog.Country, city: WorldCatalog.City, number: Int, usedNames: inout Set<String>,
        random: inout SeededGenerator
    ) -> Site {
        let size = random.pick([("small", 3.0), ("medium", 5.0), ("large", 2.0)])
        let screens: Int
        let snackbar: String
        switch size {
        case "small":
            screens = Int.random(in: 4...8, using: &random)
            snackbar = random.pick([("kiosk", 8.0), ("standard", 2.0)])
        case "medium":
            screens = Int.random(in: 9...16, using: &random)
            snackbar = random.pick([("standard", 8.0), ("kiosk", 1.0), ("large", 1.0)])
        default:
            screens = Int.random(in: 17...30, using: &random)
            snackbar = random.pick([("large", 8.0), ("standard", 2.0)])
        }
        var name = "\(city.name) \(FleetCatalog.venueNames.randomElement(using: &random)!)"
        if usedNames.contains(name) {
            var suffix = 2
            while usedNames.contains("\(name) \(suffix)") { suffix += 1 }
            name = "\(name) \(suffix)"
        }
        usedNames.insert(name)
        let id = "\(country.code.lowercased())-\(city.code)-\(String(format: "%03d", number))"
        let labels: Labels = [
            LabelKey.country: country.code, LabelKey.city: city.name, LabelKey.region: country.region,
            LabelKey.size: size, LabelKey.screens: String(screens), LabelKey.snackbar: snackbar,
        ]
        let status: SiteStatus = random.chance(0.01) ? .maintenance : .active
        return Site(
            id: id, name: name, country: country.code, city: city.name, timeZone: city.timeZone, labels: labels, status: status)
    }

    private func makeCluster(site: Site, serials: inout Set<String>, random: inout SeededGenerator) -> Cluster {
        let clusterID = "\(site.id)-c1"
        let os = random.pick(HostProfiles.operatingSystems)
        let kernel = random.pick(os.kernels)
        let runtime = random.pick(os.runtimes)
        let agent = random.pick(HostProfiles.agentVersions)
        let hardware = random.pick(HostProfiles.hardware)
        var hosts: [EdgeHost] = []
        for index in 1...Self.hostsPerSite {
            // A tenth of clusters are mid-way through a node-by-node upgrade: one host differs.
            let lagging = index == Self.hostsPerSite && random.chance(0.1)
            let hostKernel = lagging ? random.pick(os.kernels) : kernel
            let hostRuntime = lagging ? random.pick(os.runtimes) : runtime
            let status = random.pick(HostProfiles.statuses)
            var serial = "MQ\(random.hex(10).uppercased())"
            while serials.contains(serial) { serial = "MQ\(random.hex(10).uppercased())" }
            serials.insert(serial)
            let lastSeen: Date? =
                switch status {
                case .pending: nil
                case .offline: options.now.addingTimeInterval(-Double.random(in: 600...259_200, using: &random).rounded())
                default: options.now.addingTimeInterval(-Double(Int.random(in: 1...30, using: &random)))
                }
            hosts.append(
                EdgeHost(
                    id: "\(site.id)-h\(index)", serialNumber: serial, hostname: "\(site.id)-h\(index)", siteID: site.id,
                    clusterID: clusterID, osName: os.name, osVersion: os.version, kernelRelease: hostKernel,
                    runtimeName: hostRuntime.0, runtimeVersion: hostRuntime.1, agentVersion: agent,
                    cpuCores: hardware.0, memoryBytes: hardware.1 << 30, diskBytes: hardware.2 * 1_000_000_000,
                    status: status, lastSeen: lastSeen))
        }
        return Cluster(id: clusterID, siteID: site.id, hosts: hosts)
    }

    private func makeContainers(site: Site, hosts: [EdgeHost], random: inout SeededGenerator) -> [ContainerInstance] {
        var containers: [ContainerInstance] = []
        var slot = Int.random(in: 0..<hosts.count, using: &random)
        let runsVendorApp = site.labels[LabelKey.size] != "small" && random.chance(0.4)
        // Where the site has hosts that can run work, containers sit on those: the scheduler has
        // already moved them off offline and cordoned hosts.
        let schedulable = hosts.filter { [.online, .degraded, .upgrading].contains($0.status) }
        let homes = schedulable.isEmpty ? hosts : schedulable
        for (application, services) in FleetCatalog.applications {
            if application.tenantID == FleetCatalog.vendorTenant.id && !runsVendorApp { continue }
            for (service, replicas) in services {
                for replica in 0..<replicas {
                    let host = homes[slot % homes.count]
                    slot += 1
                    let state: ContainerInstance.State =
                        switch host.status {
                        case .pending: .created
                        case .offline: .stopped
                        case .degraded: random.chance(0.5) ? .unhealthy : .running
                        default: .running
                        }
                    containers.append(
                        ContainerInstance(
                            id: "\(host.id)/\(application.name)/\(service)-\(replica)", app: application.name,
                            service: service, tenantID: application.tenantID, hostID: host.id,
                            runtimeInstanceID: random.hex(12),
                            image: "registry.marquee.example/\(application.tenantID)/\(application.name):\(application.version)",
                            version: application.version, state: state, restarts: state == .unhealthy ? Int.random(in: 3...40, using: &random) : 0,
                            startedAt: host.lastSeen?.addingTimeInterval(-Double(Int.random(in: 3_600...1_209_600, using: &random)))))
                }
            }
        }
        return containers
    }

    private func hostEvents(_ hosts: [EdgeHost]) -> [Event] {
        hosts.compactMap { host in
            switch host.status {
            case .offline:
                Event(
                    time: (host.lastSeen ?? options.now).addingTimeInterval(90), kind: "host.offline", severity: .warning,
                    subject: "host/\(host.id)", message: "\(host.id) missed 3 heartbeats; last seen \(host.lastSeen.map { "\($0)" } ?? "never")",
                    actor: "system")
            case .degraded:
                Event(
                    time: options.now.addingTimeInterval(-300), kind: "host.degraded", severity: .warning,
                    subject: "host/\(host.id)", message: "\(host.id) reports unhealthy containers", actor: "agent/\(host.id)")
            case .pending:
                Event(
                    time: options.now.addingTimeInterval(-1_800), kind: "host.enrolled", severity: .notice,
                    subject: "host/\(host.id)", message: "\(host.id) (serial \(host.serialNumber)) enrolled and awaits approval",
                    actor: "agent/\(host.id)")
            default:
                nil
            }
        }
    }
}
