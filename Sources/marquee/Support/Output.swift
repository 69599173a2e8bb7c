import Foundation
import MarqueeCore

/// Writing results for people (tables) and programs (JSON).
enum Output {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// Writes to standard output. When the reader has gone (`marquee logs --output json | head`),
    /// the command ends as a pipeline expects (status 141, as if by SIGPIPE) instead of crashing; any
    /// other failure is reported.
    static func writeStandardOutput(_ data: Data) {
        do {
            try FileHandle.standardOutput.write(contentsOf: data)
        } catch {
            let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
            if (error as NSError).code == Int(EPIPE) || underlying?.code == Int(EPIPE) {
                exit(128 + SIGPIPE)
            }
            printError("marquee: cannot write the output: \(error)")
            exit(1)
        }
    }

    static func printJSON(_ value: some Encodable) {
        do {
            var data = try encoder.encode(value)
            data.append(0x0A)
            writeStandardOutput(data)
        } catch {
            printError("marquee: cannot encode JSON output: \(error)")
        }
    }

    static let lineEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// One compact JSON object on one line (a stream of them is NDJSON: `--follow --output json`).
    static func printJSONLine(_ value: some Encodable) {
        do {
            var data = try lineEncoder.encode(value)
            data.append(0x0A)
            writeStandardOutput(data)
        } catch {
            printError("marquee: cannot encode JSON output: \(error)")
        }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Whether stderr is an interactive terminal (progress is shown only then).
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// A JSON list: `{"kind": "SiteList", "count": 2, "items": [...]}`.
struct ListEnvelope<Item: Encodable>: Encodable {
    var kind: String
    var count: Int
    var items: [Item]

    init(kind: String, items: [Item]) {
        self.kind = kind
        self.count = items.count
        self.items = items
    }
}
