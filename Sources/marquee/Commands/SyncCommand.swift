import ArgumentParser
import Foundation
import MarqueeCore

/// `marquee sync DIR [--prune]`: GitOps — a directory of specs is the source of truth.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Make the platform match a directory of specs (GitOps); records the git commit when DIR is a repository.",
        discussion: "With --prune, deployments that are no longer in DIR are deleted and their containers removed."
    )

    @Argument(help: "The directory of specs (read recursively for *.yaml and *.yml).")
    var directory: String

    @Flag(help: "Delete deployments missing from DIR (and remove their containers from the sites).")
    var prune = false

    @OptionGroup(title: "Global Options") var global: GlobalOptions

    func run() async throws {
        _ = global.makeLogger("marquee.cli")
        let commit = Self.gitCommit(of: directory)
        let report: ApplyReport
        do {
            report = try await global.deploymentAPI().apply(
                try SpecFile.read(directory), actor: "sync:\(OperatorIdentity.current())", gitCommit: commit, prune: prune)
        } catch let error as SpecError {
            try SpecProblems.report(error, in: directory, output: global.output)
        }
        ApplyOutput.print(report, output: global.output)
        if global.output == .table, let commit { print("Synced at commit \(commit.prefix(12)).") }
    }

    /// `HEAD` of the repository holding `directory` (with `-dirty` when files are modified), or nil.
    static func gitCommit(of directory: String) -> String? {
        guard let head = run(["git", "-C", directory, "rev-parse", "HEAD"]) else { return nil }
        let status = run(["git", "-C", directory, "status", "--porcelain", "--", "."]) ?? ""
        return status.isEmpty ? head : "\(head)-dirty"
    }

    private static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
