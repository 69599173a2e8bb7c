import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee hosts`: list edge hosts, and decide on hosts waiting for approval.
struct HostsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hosts",
        abstract: "List edge hosts; approve, reject or pre-register hosts that join without a token.",
        subcommands: [List.self, Approve.self, Reject.self, Preregister.self, RevokeHostCommand.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List edge hosts, optionally by site, status or a selector over their sites' labels.")

        @OptionGroup(title: "Global Options") var global: GlobalOptions

        @Option(help: "Label selector over the hosts' sites, e.g. 'country = DE'.")
        var select: String?

        @Option(help: "Only hosts of this site.")
        var site: String?

        @Option(help: "Only hosts in this status: pending, online, degraded, offline, cordoned, upgrading, revoked.")
        var status: HostStatus?

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let api = try global.fleetAPI()
            if let site { _ = try await api.site(id: site) }
            let hosts = try await api.hosts(HostQuery(select: select, siteID: site, status: status))
            switch global.output {
            case .json: Output.printJSON(ListEnvelope(kind: "HostList", items: hosts))
            case .table: print(hosts.isEmpty ? "No hosts match." : FleetTables.hosts(hosts, now: Date()))
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a pending host: its agent receives a credential on its next call.")

        @OptionGroup(title: "Global Options") var global: GlobalOptions

        @Argument(help: "Host id (see `marquee hosts --status pending`).")
        var host: String

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let approved = try await global.fleetActions().approveHost(id: host, actor: OperatorIdentity.current())
            switch global.output {
            case .json: Output.printJSON(approved)
            case .table: print("Approved \(approved.id) (serial \(approved.serialNumber)); it enrolls on its next call home.")
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a pending host: it is revoked and cannot enroll without a site token.")

        @OptionGroup(title: "Global Options") var global: GlobalOptions

        @Argument(help: "Host id (see `marquee hosts --status pending`).")
        var host: String

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let rejected = try await global.fleetActions().rejectHost(id: host, actor: OperatorIdentity.current())
            switch global.output {
            case .json: Output.printJSON(rejected)
            case .table: print("Rejected \(rejected.id) (serial \(rejected.serialNumber)); it is revoked.")
            }
        }
    }

    struct Preregister: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a host's serial number in advance: it is approved at the site on its first call home.")

        @OptionGroup(title: "Global Options") var global: GlobalOptions

        @Option(help: "The host's serial number (DMI product serial).")
        var serial: String

        @Option(help: "Site id, e.g. de-ber-001.")
        var site: String

        func run() async throws {
            _ = global.makeLogger("marquee.cli")
            let registration = try await global.fleetActions().preRegister(serialNumber: serial, siteID: site, actor: OperatorIdentity.current())
            switch global.output {
            case .json: Output.printJSON(registration)
            case .table: print("Serial \(registration.serialNumber) will be approved at \(registration.siteID) when it calls home.")
            }
        }
    }
}
