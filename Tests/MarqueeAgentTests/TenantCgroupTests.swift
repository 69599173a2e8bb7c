import Foundation
import Logging
import MarqueeAgent
import MarqueeCore
import MarqueeTestSupport
import Testing

/// The process driver's cgroups: each container in its own group inside its tenant's, the tenant's
/// group held to the tenant's quota at the site.
@Suite struct TenantCgroupTests {
    static let limiter = CgroupLimiter()
    static var writable: Bool { if case .unavailable = limiter.mode { false } else { true } }

    @Test(.enabled(if: writable, "no writable cgroup hierarchy on this machine"))
    func aContainerRunsInsideItsTenantsGroupHeldToTheQuota() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-cgroup")
        defer { directory.remove() }
        let logger = Logger(label: "test.cgroup")
        let driver = ProcessDriver(logDirectory: directory.file("logs"), limiter: Self.limiter, logger: logger)
        let host = "cg\(Int.random(in: 0..<1_000_000))"
        let id = "\(host)/vision/infer-0"
        let handle = try await driver.start(
            LaunchRequest(
                id: id, tenantID: "visionary", image: "infer:1", arguments: ["sleep", "3600"], environment: [:],
                resources: ResourceRequest(cpu: 0.5, memoryBytes: 128 << 20), tenantLimit: ResourceRequest(cpu: 1.5, memoryBytes: 512 << 20)))
        #expect(handle.limitsNote == nil, "\(handle.limitsNote ?? "")")
        let groups = Self.limiter.groups(id: id, tenantID: "visionary")
        #expect(groups.tenant == "\(host).visionary")
        let tenant = Self.limiter.readLimits(group: groups.tenant)
        #expect(tenant.cpuQuota == 150_000 && tenant.memoryBytes == 512 << 20)
        let container = Self.limiter.readLimits(group: groups.container)
        #expect(container.cpuQuota == 50_000 && container.memoryBytes == 128 << 20)
        #expect(Self.limiter.processes(tenantID: "visionary", id: id) == [Int32(handle.runtimeID)])

        // A tenant without a quota still gets its group, unlimited; the container keeps its own limits.
        let other = "\(host)/shop/web-0"
        let second = try await driver.start(
            LaunchRequest(
                id: other, tenantID: "mtc-platform", image: "web:1", arguments: ["sleep", "3600"], environment: [:],
                resources: ResourceRequest(cpu: 0.25, memoryBytes: 0), tenantLimit: ResourceRequest()))
        let unlimited = Self.limiter.readLimits(group: Self.limiter.groups(id: other, tenantID: "mtc-platform").tenant)
        #expect(unlimited.cpuQuota == nil && unlimited.memoryBytes == nil)
        #expect(Self.limiter.readLimits(group: Self.limiter.groups(id: other, tenantID: "mtc-platform").container).cpuQuota == 25_000)

        // Stopped: the groups are gone.
        await driver.stop(handle.runtimeID, grace: .seconds(5))
        await driver.stop(second.runtimeID, grace: .seconds(5))
        #expect(Self.limiter.readLimits(group: groups.tenant).memoryBytes == nil)
        #expect(Self.limiter.processes(tenantID: "visionary", id: id).isEmpty)
    }
}
