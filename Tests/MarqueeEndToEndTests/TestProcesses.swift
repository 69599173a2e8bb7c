import Foundation
import MarqueeTestSupport

/// Real `marquee` processes for end-to-end tests: start, stop, wait for a condition.
enum TestProcesses {
    static func startTower(_ executable: String, _ arguments: [String], log: String) throws -> (Process, String) {
        let tower = try Self.start(executable, arguments, log: log)
        let url = try Self.waitFor("the tower's address", timeout: 30) {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").firstMatch(of: /listening on (https?:\/\/127\.0\.0\.1:\d+)/).map {
                String($0.1)
            }
        }
        return (tower, url)
    }

    static func start(_ executable: String, _ arguments: [String], log: String) throws -> Process {
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func stop(_ process: Process) {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Polls `probe` until it returns a value (this waits for a condition, not for time).
    static func waitFor<T>(_ what: String, timeout: Double, _ probe: () throws -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let value = try probe() { return value }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw TimedOut(what: what, seconds: timeout)
    }
}

/// A condition an end-to-end test waited for did not come true in time.
struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var seconds: Double
    var description: String { "timed out after \(Int(seconds)) s waiting for \(what)" }
}
