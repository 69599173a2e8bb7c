import Foundation
import Logging
import MarqueeCore
import MarqueeRemote

/// The agent on an edge host: enrolls once, then calls home with heartbeats (only outbound calls).
///
/// The credential is kept in `credential` (mode 0600) in the data directory, so a restarted agent
/// does not enroll again. Failed calls back off exponentially with jitter, up to a minute.
public struct EdgeAgent: Sendable {
    public let tower: TowerClient
    public let enrollToken: String?
    let facts: @Sendable () -> HostFacts
    let credentials: any CredentialStore
    public let logger: Logger

    /// An agent on this machine: real facts, credential in the data directory.
    public init(tower: TowerClient, enrollToken: String?, collector: HostFactsCollector, logger: Logger) {
        self.init(
            tower: tower, enrollToken: enrollToken, facts: { collector.collect() },
            credentials: FileCredentialStore(directory: collector.dataDirectory), logger: logger)
    }

    /// An agent with any facts and credential storage (the simulator runs thousands of these).
    public init(
        tower: TowerClient, enrollToken: String?, facts: @escaping @Sendable () -> HostFacts, credentials: any CredentialStore, logger: Logger
    ) {
        self.tower = tower
        self.enrollToken = enrollToken
        self.facts = facts
        self.credentials = credentials
        self.logger = logger
    }

    /// Why the agent cannot run.
    public enum AgentError: Error, CustomStringConvertible, InputError {
        case notEnrolled(dataDirectory: String)

        public var description: String {
            switch self {
            case .notEnrolled(let directory): "no credential in \(directory) and no --enroll-token to enroll with"
            }
        }
    }

    /// Runs until cancelled.
    public func run() async throws {
        var facts = self.facts()
        var credential = credentials.load()
        var backoff = 1.0
        var interval = 10
        while !Task.isCancelled {
            do {
                if credential == nil || credential?.isEmpty == true {
                    guard let enrollToken else { throw AgentError.notEnrolled(dataDirectory: credentials.location) }
                    let enrollment = try await tower.enroll(token: enrollToken, facts: facts)
                    try credentials.save(enrollment)
                    credential = enrollment.credential
                    interval = enrollment.heartbeatSeconds
                    logger.debug("Enrolled", metadata: ["host.id": "\(enrollment.hostID)", "site.id": "\(enrollment.siteID)"])
                }
                let reply = try await tower.heartbeat(credential: credential ?? "", facts: facts)
                interval = reply.heartbeatSeconds
                backoff = 1
                logger.debug("Heartbeat", metadata: ["host.id": "\(reply.hostID)", "host.status": "\(reply.status.rawValue)"])
                // Jitter spreads a fleet's heartbeats so they do not arrive together.
                try await Task.sleep(for: .milliseconds(Int(Double(interval) * 1000 * Double.random(in: 0.8...1.0))))
                facts = self.facts()
            } catch let error as AgentError {
                throw error
            } catch let RemoteError.api(status, body) where status == 401 && body.error.code == "auth.invalid" {
                logger.warning("Credential refused; enrolling again")
                credential = nil
                credentials.forget()
                if enrollToken == nil { throw AgentError.notEnrolled(dataDirectory: credentials.location) }
            } catch let RemoteError.api(status, body) where status == 401 {
                throw RemoteError.api(status: status, body: body)
            } catch is CancellationError {
                return
            } catch {
                logger.warning("Tower unreachable; retrying", metadata: ["error": "\(error)", "retry.seconds": "\(backoff)"])
                try? await Task.sleep(for: .milliseconds(Int(backoff * 1000 * Double.random(in: 0.5...1.0))))
                backoff = min(60, backoff * 2)
            }
        }
    }
}
