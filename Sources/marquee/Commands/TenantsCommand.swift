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
        subcommands: [List.self, Create.self, Quota.self, Quotas.self],
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

    struct Quota: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set what a tenant may use at a site (platform-admin).",
            discussion: """
                Without --site the quota applies at every site that has none of its own. Placement refuses a deployment that \
                would take the tenant past it, naming the quota; each container runs under its own cgroup limits, inside a tenant group the agent holds to the quota (CPU, memory).
                """)
        @Argument(help: "Tenant id.") var tenant: String
        @Option(help: "Only at this site.") var site: String?
        @Option(help: "CPU cores, e.g. 2 or 1500m.") var cpu: String?
        @Option(help: "Memory, e.g. 4Gi.") var memory: String?
        @Option(help: "Storage, e.g. 20Gi.") var storage: String?
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let parsed: (Double?, Int64?, Int64?)
            do {
                parsed = (try cpu.map(SpecQuantities.cpu), try memory.map(SpecQuantities.bytes), try storage.map(SpecQuantities.bytes))
            } catch {
                throw ValidationError("\(error)")
            }
            let quota = try await global.securityAPI().setQuota(
                tenantID: tenant, siteID: site, cpu: parsed.0, memoryBytes: parsed.1, storageBytes: parsed.2)
            switch global.output {
            case .json: Output.printJSON(quota)
            case .table: print("Quota of \(quota.tenantID) \(quota.scope): \(quota.limits).")
            }
        }
    }

    struct Quotas: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Tenants' quotas (an application owner sees its own).")
        @Option(help: "Only this tenant's.") var tenant: String?
        @OptionGroup(title: "Global Options") var global: GlobalOptions

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let quotas = try await global.securityAPI().quotas(tenantID: tenant)
            switch global.output {
            case .json: Output.printJSON(quotas)
            case .table:
                var table = TextTable(columns: [
                    .init("TENANT"), .init("WHERE"), .init("LIMITS"), .init("USED"), .init("USE"), .init("AT"), .init("SET BY"),
                ])
                for quota in quotas {
                    let usage = quota.usage
                    let used = usage.map {
                        "cpu \(TenantQuota.cores($0.cpu)), memory \(TenantQuota.size($0.memoryBytes)), storage \(TenantQuota.size($0.storageBytes))"
                    }
                    table.append([
                        quota.tenantID, quota.siteID ?? "every site", quota.limits, used ?? "nothing placed",
                        usage.map { "\(Int(($0.utilisation * 100).rounded()))%" } ?? "", usage?.siteID ?? "", quota.updatedBy,
                    ])
                }
                print(quotas.isEmpty ? "No quotas." : table.render())
            }
        }
    }
}
