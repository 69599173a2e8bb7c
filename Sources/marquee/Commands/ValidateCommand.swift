import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee validate -f PATH`: checks spec files without applying them.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check application and deployment specs (a file or a directory) without applying them.",
        discussion: "Every problem is reported as FILE:LINE:COLUMN: FIELD: MESSAGE. Exit status 0 when valid, 2 when not."
    )

    @Option(name: .shortAndLong, help: "A spec file, or a directory read recursively for *.yaml and *.yml.")
    var file: String

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        _ = global.makeLogger("marquee.cli")
        do {
            let files = try SpecLoader.files(at: file)
            let specs = try SpecLoader.load(file)
            let result = ValidationResult(
                valid: true, files: files, applications: specs.applications.count, deployments: specs.deployments.count, problems: [])
            switch global.output {
            case .json: Output.printJSON(result)
            case .table:
                print(
                    "\(file): \(result.applications) application spec(s), \(result.deployments) deployment spec(s) in \(files.count) file(s): valid")
            }
        } catch {
            try SpecProblems.report(error, in: file, output: global.output)
        }
    }
}

/// Prints spec problems (one `FILE:LINE:COLUMN: FIELD: MESSAGE` per line, or JSON) and exits 2.
enum SpecProblems {
    static func report(_ error: SpecError, in path: String, output: OutputFormat) throws -> Never {
        if output == .json {
            Output.printJSON(ValidationResult(valid: false, files: [], applications: 0, deployments: 0, problems: error.diagnostics))
        } else {
            for diagnostic in error.diagnostics { Output.printError(diagnostic.description) }
            Output.printError("marquee: \(error.diagnostics.count) problem(s) in \(path)")
        }
        throw ExitCode(2)
    }
}

/// JSON result of `marquee validate`.
struct ValidationResult: Encodable {
    var valid: Bool
    var files: [String]
    var applications: Int
    var deployments: Int
    var problems: [SpecDiagnostic]
}
