import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

/// `topology(of:)`: from a container to its host's kernel and runtime, and back to the fleet.
@Suite struct TopologyTests {
    @Test func aContainerLeadsToItsHostAndBackToEverythingSharingItsRuntimeAndKernel() async throws {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        let fleet = Fixtures.fleet(theaters: 40)
        try await store.replaceFleet(with: fleet)
        let api = LocalLogAPI(store: store, clock: ManualClock())
        let container = try #require(fleet.containers.first { $0.state == .running })
        let host = try #require(fleet.hosts.first { $0.id == container.hostID })

        let topology = try await api.topology(of: container.id, limit: 5)
        #expect(topology.container?.app == container.app && topology.container?.service == container.service)
        #expect(topology.container?.runtimeInstance == container.runtimeInstanceID)
        #expect(topology.host.kernel == host.kernelRelease && topology.host.runtime == "\(host.runtimeName) \(host.runtimeVersion)")
        #expect(topology.host.agentVersion == host.agentVersion && topology.host.os == host.osDescription)
        #expect(topology.onHost.map(\.id) == fleet.containers.filter { $0.hostID == host.id }.map(\.id).sorted())

        // Back: the fleet's hosts and containers on the same runtime version, kernel, and both — counted exactly
        func expected(_ matches: (EdgeHost) -> Bool) -> (hosts: Int, sites: Int, containers: Int) {
            let hosts = fleet.hosts.filter(matches)
            let ids = Set(hosts.map(\.id))
            return (hosts.count, Set(hosts.map(\.siteID)).count, fleet.containers.filter { ids.contains($0.hostID) }.count)
        }
        let sameRuntime = expected { $0.runtimeName == host.runtimeName && $0.runtimeVersion == host.runtimeVersion }
        let sameKernel = expected { $0.kernelRelease == host.kernelRelease }
        let both = expected {
            $0.runtimeName == host.runtimeName && $0.runtimeVersion == host.runtimeVersion && $0.kernelRelease == host.kernelRelease
        }
        let shared = Dictionary(uniqueKeysWithValues: topology.shared.map { ($0.attribute, $0) })
        for (attribute, figures) in [(Topology.Shared.Attribute.runtime, sameRuntime), (.kernel, sameKernel), (.runtimeAndKernel, both)] {
            let found = try #require(shared[attribute])
            #expect(found.hosts == figures.hosts && found.sites == figures.sites && found.containers == figures.containers, "\(attribute)")
            #expect(found.examples.count == min(5, figures.containers))
            #expect(found.examples.map(\.id) == found.examples.map(\.id).sorted())
        }
        #expect(both.hosts <= sameKernel.hosts && both.hosts >= 1)

        // A host is a subject too; an unknown one is a clear error
        let hostTopology = try await api.topology(of: host.id, limit: 0)
        #expect(hostTopology.container == nil && hostTopology.host.id == host.id && hostTopology.shared.allSatisfy(\.examples.isEmpty))
        await #expect(throws: LogQueryError.unknownSubject("nope")) { try await api.topology(of: "nope", limit: 5) }
        await #expect(throws: LogQueryError.self) { try await api.topology(of: host.id, limit: 5_000) }
    }
}
