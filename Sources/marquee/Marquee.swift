import ArgumentParser
import Foundation
import MarqueeCore
import MarqueeRemote

/// The `marquee` command: one binary for the console, the tower, agents, the simulator and ctl verbs.
@main
struct Marquee: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marquee",
        abstract: "Edge application platform and operations console for a theater chain.",
        discussion: """
            Start with 'marquee fleet generate' (a simulated 750-theater fleet in a local database), \
            then 'marquee console', or 'marquee sites', 'marquee hosts' and 'marquee site show ID'.
            """,
        version: MarqueeVersion.current,
        subcommands: [
            DemoCommand.self, FleetCommand.self, SitesCommand.self, SiteCommand.self, HostsCommand.self, HostCommand.self, ConsoleCommand.self,
            TowerCommand.self,
            AgentCommand.self, SimCommand.self,
            WorkloadCommand.self, ValidateCommand.self, PlanCommand.self, ApplyCommand.self, SyncCommand.self, RolloutCommand.self, AppsCommand.self,
            ProbesCommand.self,
            LogsCommand.self,
            TopologyCommand.self, UpgradeCommand.self,
            EnrollTokenCommand.self, LockdownCommand.self, UnlockCommand.self, SecretsCommand.self, TenantsCommand.self, TokensCommand.self,
            AuditCommand.self,
            InfoCommand.self,
            BenchCommand.self,
        ]
    )

    /// Runs the command and maps failures to exit codes: 0 success, 2 usage or input error, 1 anything else.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(with: error, arguments: arguments)
        }
    }

    private static func exit(with error: any Error, arguments: [String]) -> Never {
        let code: Int32
        let message: String
        if let remote = error as? RemoteError {
            code = remote.isInputError ? 2 : 1
            message = remote.description
        } else if let inputError = error as? any InputError {
            code = 2
            message = String(describing: inputError)
        } else if error is ExitCode || error is CleanExit {
            exit(withError: error)
        } else if let commandError = error as? CommandFailure {
            code = commandError.exitCode
            message = commandError.message
        } else {
            let status = exitCode(for: error)
            if status == .success { exit(withError: error) }
            if status == .validationFailure {
                code = 2
                message =
                    Self.message(for: error).replacingOccurrences(of: "Error: ", with: "")
                    .split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            } else {
                code = 1
                message = String(describing: error)
            }
        }
        if OutputFormat.requested(in: arguments) == .json {
            Output.printJSON(ErrorEnvelope(error: .init(code: code == 2 ? "input" : "failure", message: message)))
        }
        Output.printError("marquee: \(message)")
        Foundation.exit(code)
    }
}

/// The JSON printed on stdout for a failed command under `--output json`.
struct ErrorEnvelope: Encodable {
    struct Body: Encodable {
        var code: String
        var message: String
    }
    var error: Body
}

/// A failure the command already described, with the exit code to use.
struct CommandFailure: Error {
    var message: String
    var exitCode: Int32 = 1
}
