import ArgumentParser
import Foundation
import MarqueeCore

extension Tenant.Kind: ExpressibleByArgument {}
extension Role: ExpressibleByArgument {}

/// `marquee tenants list|create`.
struct TenantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenants",
        abstract: "Tenants: site providers (own sites and hosts) and application owners (deploy to assigned sites).",
        subcommands: [List.self, Create.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every tenant and its kind.")
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let tenants = try await global.securityAPI().tenants()
            switch global.output {
            case .json: Output.printJSON(tenants)
            case .table:
                var table = TextTable(columns: [.init("TENANT"), .init("KIND"), .init("NAME")])
                for tenant in tenants { table.append([tenant.id, tenant.kind.rawValue, tenant.name]) }
                print(table.render())
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant (platform-admin).")
        @Argument(help: "Tenant id: 2–40 lower-case letters, digits or '-'.") var id: String
        @Option(help: "Display name.") var name: String
        @Option(help: "siteProvider or applicationOwner.") var kind: Tenant.Kind
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let tenant = try await global.securityAPI().createTenant(Tenant(id: id, name: name, kind: kind))
            switch global.output {
            case .json: Output.printJSON(tenant)
            case .table: print("Created tenant \(tenant.id) (\(tenant.kind.rawValue)).")
            }
        }
    }
}
