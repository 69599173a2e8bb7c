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
    public let collector: HostFactsCollector
    public let logger: Logger

    public init(tower: TowerClient, enrollToken: String?, collector: HostFactsCollector, logger: Logger) {
        self.tower = tower
        self.enrollToken = enrollToken
        self.collector = collector
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

    private var credentialPath: String { "\(collector.dataDirectory)/credential" }
    private var hostIDPath: String { "\(collector.dataDirectory)/host-id" }

    /// Runs until cancelled.
    public func run() async throws {
        var facts = collector.collect()
        var credential = try? String(contentsOfFile: credentialPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        var backoff = 1.0
        var interval = 10
        while !Task.isCancelled {
            do {
                if credential == nil || credential?.isEmpty == true {
                    guard let enrollToken else { throw AgentError.notEnrolled(dataDirectory: collector.dataDirectory) }
                    let enrollment = try await tower.enroll(token: enrollToken, facts: facts)
                    try save(enrollment)
                    credential = enrollment.credential
                    interval = enrollment.heartbeatSeconds
                    logger.info("Enrolled", metadata: ["host.id": "\(enrollment.hostID)", "site.id": "\(enrollment.siteID)"])
                }
                let reply = try await tower.heartbeat(credential: credential ?? "", facts: facts)
                interval = reply.heartbeatSeconds
                backoff = 1
                logger.debug("Heartbeat", metadata: ["host.id": "\(reply.hostID)", "host.status": "\(reply.status.rawValue)"])
                // Jitter spreads a fleet's heartbeats so they do not arrive together.
                try await Task.sleep(for: .milliseconds(Int(Double(interval) * 1000 * Double.random(in: 0.8...1.0))))
                facts = collector.collect()
            } catch let error as AgentError {
                throw error
            } catch let RemoteError.api(status, body) where status == 401 && body.error.code == "auth.invalid" {
                logger.warning("Credential refused; enrolling again")
                credential = nil
                try? FileManager.default.removeItem(atPath: credentialPath)
                if enrollToken == nil { throw AgentError.notEnrolled(dataDirectory: collector.dataDirectory) }
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

    private func save(_ enrollment: TowerClient.Enrollment) throws {
        try FileManager.default.createDirectory(atPath: collector.dataDirectory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(
            atPath: credentialPath, contents: Data((enrollment.credential + "\n").utf8), attributes: [.posixPermissions: 0o600])
        try (enrollment.hostID + "\n").write(toFile: hostIDPath, atomically: true, encoding: .utf8)
    }
}
