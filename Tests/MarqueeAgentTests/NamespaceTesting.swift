import Foundation
import MarqueeAgent
import MarqueeCore

/// Waiting on real processes in network namespaces, for the tenant network tests.
enum NamespaceTesting {
    /// Waits (for a real process, up to 300 s on a loaded machine) until `port` accepts
    /// connections inside `namespace` (`nil`: the host's).
    static func waitListening(_ port: Int, in namespace: String?) async throws {
        let deadline = ContinuousClock.now + .seconds(300)
        let probe = ProbeSpec(purpose: .readiness, check: .tcp(port: port), timeout: 1)
        while await ProbeChecker().check(probe, namespace: namespace) != nil {
            guard ContinuousClock.now < deadline else { throw TestFailure("port \(port) never opened in \(namespace ?? "the host")") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Runs a client container to its end, stops it (releasing its policy) and returns what it printed.
    static func output(of request: LaunchRequest, on driver: ProcessDriver) async throws -> [String] {
        let handle = try await driver.start(request)
        let deadline = ContinuousClock.now + .seconds(300)
        while await driver.exit(of: handle.runtimeID) == nil {
            guard ContinuousClock.now < deadline else { throw TestFailure("\(request.id) did not end") }
            try await Task.sleep(for: .milliseconds(20))
        }
        let lines = await driver.recentOutput(of: handle.runtimeID).map(\.text)
        await driver.stop(handle.runtimeID, grace: .seconds(2))
        return lines
    }
}
