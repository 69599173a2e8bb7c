import Foundation

/// Runs the built `marquee` binary as a real process, for end-to-end tests.
public struct CommandRunner: Sendable {
    /// What a finished process left behind.
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Path to the binary.
    public let executable: String
    /// Extra environment on top of the test process's.
    public var environment: [String: String]

    /// Finds the `marquee` binary next to the test bundle (or at `$MARQUEE_BINARY`).
    public init(environment: [String: String] = [:]) throws {
        self.environment = environment
        if let override = ProcessInfo.processInfo.environment["MARQUEE_BINARY"] {
            executable = override
            return
        }
        var candidates: [String] = []
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            candidates.append(directory.appendingPathComponent("marquee").path)
            directory.deleteLastPathComponent()
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/marquee").path)
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw CommandRunnerError.binaryNotFound(candidates)
        }
        executable = found
    }

    /// Runs `marquee arguments…` to completion.
    public func run(_ arguments: [String], stdin: String? = nil) throws -> Outcome {
        let scratch = try TemporaryDirectory(prefix: "marquee-run")
        defer { scratch.remove() }
        let outPath = scratch.file("stdout")
        let errPath = scratch.file("stderr")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        if let stdin {
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            pipe.fileHandleForWriting.write(Data(stdin.utf8))
            try pipe.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}

/// Why the binary could not be run.
public enum CommandRunnerError: Error, CustomStringConvertible {
    case binaryNotFound([String])

    public var description: String {
        switch self {
        case .binaryNotFound(let candidates):
            "marquee binary not found (looked in \(candidates.joined(separator: ", "))); run 'swift build' or set MARQUEE_BINARY"
        }
    }
}
