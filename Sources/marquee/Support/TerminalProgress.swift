import Foundation

/// A one-line progress bar on stderr, shown only on a terminal and never with `--output json`.
struct TerminalProgress {
    let label: String
    let enabled: Bool

    init(label: String, output: OutputFormat) {
        self.label = label
        self.enabled = output == .table && Output.stderrIsTerminal
    }

    func update(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(done)/\(total)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
