import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeRemote

/// `marquee enroll-token create --site ID`: a token a site's hosts enroll with.
struct EnrollTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll-token",
        abstract: "Manage site enrollment tokens.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an enrollment token for a site (printed once; stored hashed).")

        @OptionGroup(title: "Global Options") var global: GlobalOptions

        @Option(help: "Site id, e.g. se-sto-001.")
        var site: String

        @Option(help: "Lifetime in seconds.")
        var ttl = 86_400

        func validate() throws {
            guard ttl > 0 else { throw ValidationError("--ttl must be positive") }
        }

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let token: String
            let expires: Date
            if let url = global.towerURL {
                let reply = try await global.towerClient(url).createEnrollmentToken(site: site, ttlSeconds: ttl, adminToken: global.bearerToken)
                (token, expires) = (reply.token, reply.expiresAt)
            } else {
                let store = try global.openFleet().store
                (token, expires) = try await HostLifecycle(store: store).createEnrollmentToken(siteID: site, ttl: .seconds(ttl))
                try await global.localAudit(store).record("enroll-token create", target: site, reason: "ttl \(ttl)s")
            }
            switch global.output {
            case .json:
                Output.printJSON(EnrollmentTokenReply(token: token, site: site, expiresAt: expires))
            case .table:
                print(token)
                Output.printError("Enrollment token for \(site), valid until \(ISO8601DateFormatter().string(from: expires)).")
            }
        }
    }
}
