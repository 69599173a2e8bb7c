import Foundation
import MarqueeTestSupport
import Testing

/// Writes the CLI makes straight on a local database (no tower) go into the audit chain, as API
/// writes do through the tower.
@Suite struct LocalAuditTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples").standardized.path

    private struct AuditBody: Decodable {
        var actor: String
        var action: String
        var target: String
    }

    @Test func localWritesAreAuditedAndTheChainStillVerifies() throws {
        let directory = try TemporaryDirectory(prefix: "marquee-local-audit")
        defer { directory.remove() }
        let cli = try CommandRunner(environment: ["MARQUEE_DB": directory.file("fleet.db"), "USER": "nightshift"])
        #expect(try cli.run(["fleet", "generate", "--theaters", "3", "--output", "json"]).status == 0)
        let site = try #require(
            try cli.run(["sites", "--output", "json"]).stdout.firstMatch(of: /"id" : "([a-z]{2}-[a-z]{3}-\d{3})"/).map { String($0.1) })
        #expect(try cli.run(["enroll-token", "create", "--site", site]).status == 0)
        #expect(try cli.run(["hosts", "preregister", "--serial", "SER-LOCAL-1", "--site", site]).status == 0)
        let applied = try cli.run(["apply", "-f", "\(Self.examples)/hvac-monitor.yaml"])
        #expect(applied.status == 0, "\(applied.stderr)")
        // A refused write leaves no record.
        #expect(try cli.run(["rollout", "pause", "no-such-rollout"]).status != 0)

        let records = try JSONDecoder().decode([AuditBody].self, from: Data(try cli.run(["audit", "--output", "json"]).stdout.utf8))
        let local = records.filter { $0.action.hasPrefix("local ") }
        #expect(local.map(\.action) == ["local enroll-token create", "local hosts preregister", "local apply"], "\(records)")
        #expect(local.allSatisfy { $0.actor.hasPrefix("nightshift") && $0.actor.hasSuffix("(local database)") })
        #expect(local.first?.target == site)
        #expect(try cli.run(["audit", "verify"]).status == 0)
    }
}
