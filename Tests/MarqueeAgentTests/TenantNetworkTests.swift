import Foundation
import Logging
import MarqueeAgent
import MarqueeCore
import MarqueeTestSupport
import Testing

/// `--tenant-networks`: each tenant's containers in that tenant's network namespace, with real
/// processes (`marquee workload http` servers and a bash client) through the process driver.
@Suite struct TenantNetworkTests {
    private let logger = Logger(label: "test.netns")

    private func launch(_ id: String, tenant: String, _ arguments: [String]) -> LaunchRequest {
        LaunchRequest(id: id, tenantID: tenant, image: "\(id):1", arguments: arguments, environment: [:], resources: ResourceRequest())
    }

    @Test(.enabled(if: getuid() == 0, "network namespaces need root"))
    func aTenantsContainerReachesItsOwnPortButNotAnotherTenants() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-netns")
        defer { directory.remove() }
        let marquee = try CommandRunner().executable
        try await TenantNetworks.check(logger: logger)
        let driver = ProcessDriver(logDirectory: directory.file("logs"), networks: TenantNetworks(logger: logger), logger: logger)
        let portA = Int.random(in: 20_000..<40_000)
        let portB = portA + 1
        do {
            let serverA = try await driver.start(
                launch("h1/shop/web-0", tenant: "mtc-platform", [marquee, "workload", "http", "--port", "\(portA)"]))
            let serverB = try await driver.start(
                launch("h1/vision/infer-0", tenant: "visionary", [marquee, "workload", "http", "--port", "\(portB)"]))
            let namespaceA = try #require(await driver.networkNamespace(of: serverA.runtimeID))
            let namespaceB = try #require(await driver.networkNamespace(of: serverB.runtimeID))
            #expect(namespaceA != namespaceB)

            // The agent's probes reach each server inside its own tenant's namespace (HTTP and TCP) …
            try await NamespaceTesting.waitListening(portA, in: namespaceA)
            try await NamespaceTesting.waitListening(portB, in: namespaceB)
            let health = { (port: Int) in ProbeSpec(purpose: .readiness, check: .http(path: "/health", port: port), timeout: 2) }
            #expect(await ProbeChecker().measure(health(portA), namespace: namespaceA).status == "HTTP 200")
            #expect(await ProbeChecker().measure(health(portB), namespace: namespaceB).status == "HTTP 200")
            // … but neither port is open in the other tenant's namespace, nor on the host.
            #expect(await ProbeChecker().check(health(portB), namespace: namespaceA) != nil)
            #expect(await ProbeChecker().check(ProbeSpec(purpose: .readiness, check: .tcp(port: portA), timeout: 1)) != nil)

            // A container of tenant A connects to its own tenant's port and not to tenant B's; and
            // the other way round.
            let script =
                "for p in \(portA) \(portB); do (echo > /dev/tcp/127.0.0.1/$p) 2>/dev/null && echo \"port $p open\" || echo \"port $p closed\"; done"
            let fromA = try await NamespaceTesting.output(of: launch("h1/shop/client-0", tenant: "mtc-platform", ["bash", "-c", script]), on: driver)
            #expect(fromA == ["port \(portA) open", "port \(portB) closed"])
            let fromB = try await NamespaceTesting.output(of: launch("h1/vision/client-0", tenant: "visionary", ["bash", "-c", script]), on: driver)
            #expect(fromB == ["port \(portA) closed", "port \(portB) open"])
            // A command probe runs inside the namespace too.
            let exec = ProbeSpec(purpose: .liveness, check: .exec(command: ["bash", "-c", "echo > /dev/tcp/127.0.0.1/\(portA)"]), timeout: 5)
            #expect(await ProbeChecker().check(exec, namespace: namespaceA) == nil)
            #expect(await ProbeChecker().check(exec, namespace: namespaceB) != nil)
        } catch {
            await driver.stopAll(grace: .seconds(2))
            throw error
        }
        await driver.stopAll(grace: .seconds(2))
    }
}

extension TenantNetworkTests {
    /// Through the supervisor, as `marquee agent --tenant-networks` runs it: a container with an
    /// HTTP readiness probe becomes `running` although its port is only open in its tenant's namespace.
    @Test(.enabled(if: getuid() == 0, "network namespaces need root"))
    func theSupervisorsProbesReachAContainerInItsTenantsNamespace() async throws {
        let directory = try TemporaryDirectory(prefix: "marquee-netns-supervisor")
        defer { directory.remove() }
        let marquee = try CommandRunner().executable
        let logger = Logger(label: "test.netns")
        let driver = ProcessDriver(logDirectory: directory.file("logs"), networks: TenantNetworks(logger: logger), logger: logger)
        let supervisor = ContainerSupervisor(driver: driver, host: CombinedReporter([]), clock: ManualClock(), logger: logger)
        let port = Int.random(in: 40_000..<60_000)
        let id = "h1/shop/web-0"
        let spec = ContainerSpec(
            name: "web", image: "web:1", command: [marquee, "workload", "http", "--port", "\(port)"],
            probes: [ProbeSpec(purpose: .readiness, check: .http(path: "/health", port: port), interval: 0, timeout: 2)])
        await supervisor.apply(
            DesiredState(
                hostID: "h1", revision: 1,
                containers: [
                    ContainerInstance(
                        id: id, app: "shop", service: "web", tenantID: "mtc-platform", hostID: "h1", runtimeInstanceID: "", image: "web:1",
                        version: "1", state: .created, restarts: 0, startedAt: nil)
                ],
                specs: [id: spec]))
        let deadline = ContinuousClock.now + .seconds(300)
        var state: ContainerInstance.State?
        while ContinuousClock.now < deadline {
            await supervisor.reconcile()
            state = await supervisor.containers.first?.state
            if state == .running { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let last = await supervisor.containers.first.map { "\($0.state) \($0.detail ?? "")" } ?? "none"
        #expect(state == .running, "\(last)")
        // The host itself cannot reach it: the port is the tenant's alone.
        #expect(await ProbeChecker().check(ProbeSpec(purpose: .readiness, check: .tcp(port: port), timeout: 1)) != nil)
        await driver.stopAll(grace: .seconds(2))
    }
}

/// A real process did not do what the test waited for.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
