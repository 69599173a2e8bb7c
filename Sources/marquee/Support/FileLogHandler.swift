import Foundation
import Logging
import Synchronization

/// Where full-screen commands write their log: `$XDG_STATE_HOME/marquee/marquee.log`.
enum LogFile {
    static func open(environment: [String: String]) -> FileHandle? {
        let home = environment["HOME"] ?? "/tmp"
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "\(home)/.local/state"
        let directory = "\(state)/marquee"
        let path = "\(directory)/marquee.log"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
        _ = try? handle.seekToEnd()
        return handle
    }
}

/// A swift-log handler that appends lines to a file (the console must never write to the screen's stderr).
struct FileLogHandler: LogHandler {
    private let label: String
    private let file: FileHandle
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String, file: FileHandle) {
        self.label = label
        self.file = file
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let pairs = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(ISO8601DateFormatter().string(from: Date())) \(event.level) \(label): \(event.message)\(pairs.isEmpty ? "" : " \(pairs)")\n"
        file.write(Data(line.utf8))
    }
}
