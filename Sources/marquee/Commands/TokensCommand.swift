import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee tokens create|list|revoke`.
struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "API tokens scoped to a tenant and a role (platform-admin, tenant-admin, operator, viewer); stored hashed, expiring.",
        subcommands: [Create.self, List.self, Revoke.self],
        defaultSubcommand: List.self
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token; its secret is printed once (give it to its holder as MARQUEE_TOKEN).")
        @Option(help: "The tenant the token acts in.") var tenant: String
        @Option(help: "platform-admin (site providers only), tenant-admin, operator or viewer.") var role: Role
        @Option(help: "Who holds it: the actor events and the audit trail show.") var name: String
        @Option(help: "How long it works: 30m, 12h, 90d (default 30d).") var ttl: ProbesCommand.Span = ProbesCommand.Span(argument: "30d")!
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let issued = try await global.securityAPI().createToken(tenantID: tenant, role: role, name: name, ttl: .seconds(Int(ttl.seconds)))
            switch global.output {
            case .json: Output.printJSON(issued)
            case .table:
                let expires = ISO8601DateFormatter().string(from: issued.token.expiresAt)
                print(
                    "Token \(issued.token.id) for \(issued.token.name): \(issued.token.role.rawValue) in \(issued.token.tenantID), expires \(expires)"
                )
                print("Secret (shown once; the tower keeps only its hash):")
                print(issued.secret)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tokens (never their secrets): yours, or any tenant's for a platform admin.")
        @Option(help: "Only this tenant's.") var tenant: String?
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let tokens = try await global.securityAPI().tokens(tenantID: tenant)
            switch global.output {
            case .json: Output.printJSON(tokens)
            case .table:
                let now = Date()
                var table = TextTable(columns: [
                    .init("ID"), .init("NAME"), .init("TENANT"), .init("ROLE"), .init("STATE"), .init("EXPIRES"), .init("CREATED BY"),
                ])
                for token in tokens {
                    let state = token.revokedAt != nil ? "revoked" : (token.isValid(at: now) ? "active" : "expired")
                    table.append([
                        token.id, token.name, token.tenantID, token.role.rawValue, state, RelativeTime.describe(token.expiresAt, now: now),
                        token.createdBy,
                    ])
                }
                print(table.render())
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: its next request is refused.")
        @Argument(help: "The token id (tok_…).") var id: String
        @Option(help: "Why (kept in the audit trail).") var reason: String?
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let token = try await global.securityAPI().revokeToken(id: id, reason: reason)
            switch global.output {
            case .json: Output.printJSON(token)
            case .table: print("Revoked \(token.id) (\(token.name), \(token.role.rawValue) in \(token.tenantID)).")
            }
        }
    }
}
