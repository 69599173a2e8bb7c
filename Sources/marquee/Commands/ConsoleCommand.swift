import ArgumentParser
import Foundation
import Logging
import MarqueeConsole
import MarqueeCore

/// `marquee console`: the operations console.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the operations console (read-only unless --write).",
        discussion: """
            Keys: j/k move, Enter opens, Esc goes back, / filters (text or a selector such as country=SE and screens>=10),
            : jumps (:sites :hosts :events :site ID :q), ? shows every key. Ctrl-C quits.
            --render-once prints one frame as text, for tickets and scripts.
            """
    )

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    @Option(help: "Theme name (\(BuiltinThemes.names.joined(separator: ", "))) or a YAML file path. Default: $MARQUEE_THEME or default.")
    var theme: String?

    @Flag(help: "Arm actions that change the fleet (the badge shows WRITE).")
    var write = false

    @Option(help: "Screen to open: countries, sites, sites:CC, site:ID, hosts, host:ID, events.")
    var view: String = "countries"

    @Option(help: "Seconds between checks for fleet changes (minimum 0.5).")
    var refresh: Double = 2

    @Flag(help: "Print one frame as plain text and exit (no terminal needed).")
    var renderOnce = false

    @Option(help: "Frame size for --render-once, as COLUMNSxROWS.")
    var size = FrameSize(width: 120, height: 40)

    func validate() throws {
        guard ScreenKind(argument: view) != nil else {
            throw ValidationError(
                "--view must be countries, sites, sites:CC, site:ID, hosts, hosts:pending, host:ID, events, apps, rollouts, rollout:ID, upgrades, probes, logs or security, got '\(view)'"
            )
        }
        guard refresh >= 0.5 else { throw ValidationError("--refresh must be at least 0.5 seconds") }
    }

    func run() async throws {
        let logger = global.makeLogger("marquee.console", logToFile: !renderOnce)
        let environment = ProcessInfo.processInfo.environment
        let api = try global.fleetAPI()
        let kind = ScreenKind(argument: view) ?? .countries
        let loaded = ThemeLoader.load(theme, environment: environment)
        if renderOnce {
            if let warning = loaded.warning { Output.printError("marquee: \(warning)") }
            print(
                try await ConsoleRenderer.renderOnce(
                    api: api, deployments: try global.deploymentAPI(), upgrades: try global.upgradeAPI(), probes: try global.probeAPI(),
                    security: try await global.securityAPI(), view: kind,
                    width: size.width,
                    height: size.height, readOnly: !write,
                    theme: loaded.theme))
            return
        }
        let options = ConsoleOptions(
            view: kind, readOnly: !write, refresh: .milliseconds(Int(refresh * 1000)), theme: loaded.theme, themeWarning: loaded.warning,
            environment: environment)
        try await runConsole(
            api, actions: write ? try global.fleetActions() : nil, deployments: try global.deploymentAPI(), upgrades: try global.upgradeAPI(),
            probes: try global.probeAPI(), logs: try global.logAPI(), security: try await global.securityAPI(), options: options,
            logger: logger)
    }

    private func runConsole(
        _ api: some FleetAPI, actions: (any FleetActions)?, deployments: any DeploymentAPI, upgrades: any UpgradeAPI, probes: any ProbeAPI,
        logs: any LogAPI, security: (any SecurityAPI)?, options: ConsoleOptions, logger: Logger
    ) async throws {
        try await ConsoleRuntime(
            api: api, actions: actions, deployments: deployments, upgrades: upgrades, probes: probes, logs: logs, security: security,
            options: options, logger: logger
        )
        .run()
    }
}
