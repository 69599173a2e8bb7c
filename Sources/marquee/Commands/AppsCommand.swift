import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee apps [--site ID]`: applications, their versions at the sites and their rollouts.
struct AppsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apps",
        abstract: "List applications: target version, sites running / pending / failed, and the latest rollout."
    )

    @Option(help: "Only what runs at this site.")
    var site: String?

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        _ = global.makeLogger("marquee.cli")
        if let site { _ = try await global.fleetAPI().site(id: site) }
        let apps = try await global.deploymentAPI().applications(siteID: site)
        switch global.output {
        case .json:
            Output.printJSON(ListEnvelope(kind: "ApplicationList", items: apps))
        case .table:
            var table = TextTable(columns: [
                .init("APP"), .init("TENANT"), .init("TARGET"), .init("VERSIONS"), .init("RUNNING", alignRight: true),
                .init("PENDING", alignRight: true), .init("FAILED", alignRight: true), .init("ROLLOUT"),
            ])
            for app in apps {
                let versions = app.versions.sorted { $0.value > $1.value }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
                table.append([
                    app.name, app.tenant, app.targetVersion ?? "-", versions, String(app.sitesRunning), String(app.sitesPending),
                    String(app.sitesFailed),
                    app.rolloutSummary.map { "\(app.rollout ?? ""): \($0)" } ?? "-",
                ])
            }
            print(apps.isEmpty ? "No applications." : table.render())
        }
    }
}
