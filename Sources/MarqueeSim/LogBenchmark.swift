import Foundation
import MarqueeCore

/// `marquee bench logs`: lines/s through the tower's ingest (heartbeat transaction, chunks and
/// their word index written), the correlated timeline's latency, and text search against `grep -F`
/// over the same lines in a plain file.
public struct LogBenchmark: Sendable {
    public struct Result: Codable, Sendable {
        public var lines: Int
        public var hosts: Int
        /// Lines per second through `HostLifecycle.heartbeat` into SQLite (chunks, references, word index).
        public var ingestLinesPerSecond: Double
        /// Database file bytes per stored line (chunks, their indexes and the word index).
        public var databaseBytesPerLine: Double
        /// `correlate(container, at, ±5 min)` over random containers and moments, milliseconds.
        public var correlateP50Milliseconds: Double
        public var correlateP95Milliseconds: Double
        public var searches: [Search]
    }

    /// One text search: the index against `grep -F -c` over a plain file of the same lines.
    public struct Search: Codable, Sendable {
        public var text: String
        /// Lines that contain it.
        public var matches: Int
        /// The store's newest 100 matches, milliseconds (median of 11).
        public var indexMilliseconds: Double
        /// `grep -F` over the plain file, milliseconds (median of 5).
        public var grepMilliseconds: Double
        public var speedup: Double
        /// Whether the text held a word the index could use (else the store read chunks newest first).
        public var usesWordIndex: Bool
        /// Whether the text is a lone fragment the suffix index answers (``LogWordSuffixes``).
        public var usesSuffixIndex: Bool
    }

    public let lines: Int
    public let theaters: Int
    /// Where to write the database and the plain file and keep them (nil: a temporary directory, removed).
    public let keepDirectory: String?

    public init(lines: Int = 1_000_000, theaters: Int = 100, keepDirectory: String? = nil) {
        self.lines = lines
        self.theaters = theaters
        self.keepDirectory = keepDirectory
    }

    public func run(progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Result {
        let directory =
            keepDirectory.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("marquee-bench-logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if keepDirectory != nil {
            for name in ["logs.db", "logs.db-wal", "logs.db-shm", "plain.log"] {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
        }
        defer { if keepDirectory == nil { try? FileManager.default.removeItem(at: directory) } }
        let databasePath = directory.appendingPathComponent("logs.db").path
        let store = SQLiteFleetStore(try FleetDatabase.open(at: databasePath))
        let end = Date(timeIntervalSince1970: 1_795_831_200)
        let fleet = try FleetGenerator(.init(theaters: theaters, seed: 5, now: end)).generate()
        try await store.replaceFleet(with: fleet)
        let lifecycle = HostLifecycle(store: store, now: { end })
        let containersByHost = Dictionary(grouping: fleet.containers, by: \.hostID)
        var senders: [(credential: String, containers: [String])] = []
        for host in fleet.hosts.filter({ $0.status == .online && containersByHost[$0.id] != nil }) {
            let (token, _) = try await lifecycle.createEnrollmentToken(siteID: host.siteID, ttl: .seconds(3_600))
            senders.append((try await lifecycle.enroll(token: token, facts: host.facts).credential, containersByHost[host.id]!.map(\.id)))
        }
        // Lines spread over the last 6 hours; each heartbeat carries 1,000 of one host's lines.
        let span: TimeInterval = 6 * 3_600
        let perBatch = 1_000
        let batches = Swift.max(1, lines / perBatch)
        let plain = directory.appendingPathComponent("plain.log").path
        _ = FileManager.default.createFile(atPath: plain, contents: nil)
        let plainFile = try FileHandle(forWritingTo: URL(fileURLWithPath: plain))
        var generator = LogLineGenerator(seed: 11)
        let clock = ContinuousClock()
        var ingestTime = Duration.zero
        var sequences = [Int64](repeating: 0, count: senders.count)
        var batch = 0
        while batch < batches {
            // One round: a batch from each of up to 64 hosts, sent concurrently as a tower would take them.
            let round = (0..<Swift.min(64, batches - batch)).map { offset -> (Int, [ReportRecord]) in
                let sender = (batch + offset) % senders.count
                let base = end.addingTimeInterval(-span + span * Double(batch + offset) / Double(batches))
                let records = (0..<perBatch).map { index in
                    generator.next(containers: senders[sender].containers, at: base.addingTimeInterval(Double(index) * 0.01))
                }
                return (sender, records)
            }
            var text = ""
            for (_, records) in round {
                for record in records { text += "\(record.time.timeIntervalSince1970) \(record.log!.layer.rawValue) \(record.log!.message)\n" }
            }
            plainFile.write(Data(text.utf8))
            for (sender, _) in round { sequences[sender] += 1 }
            let numbered = round.map { ($0.0, sequences[$0.0], $0.1) }
            let started = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (sender, sequence, records) in numbered {
                    let credential = senders[sender].credential
                    group.addTask {
                        _ = try await lifecycle.heartbeat(
                            credential: credential, facts: nil, batches: [ReportBatch(sequence: sequence, createdAt: end, records: records)])
                    }
                }
                try await group.waitForAll()
            }
            ingestTime += clock.now - started
            batch += round.count
            progress(batch, batches + 2)
        }
        try plainFile.close()
        let stored = batches * perBatch
        let ingestRate = Double(stored) / Self.seconds(ingestTime)
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: databasePath)[.size] as? Int) ?? 0

        // Correlation: random containers that logged, at random moments
        var random = SeededGenerator(seed: 3)
        var correlations: [Double] = []
        for _ in 0..<200 {
            let sender = senders[Int.random(in: 0..<senders.count, using: &random)]
            let container = sender.containers[Int.random(in: 0..<sender.containers.count, using: &random)]
            let at = end.addingTimeInterval(-Double.random(in: 0..<span, using: &random))
            let started = clock.now
            _ = try await store.correlate(container: container, at: at, window: 300, limit: 1_000)
            correlations.append(Self.seconds(clock.now - started) * 1_000)
        }
        correlations.sort()
        progress(batches + 1, batches + 2)

        var searches: [Search] = []
        // The rare request id as typed after `req=` (a word start: the word index), alone and as a
        // piece of its middle (fragments that may sit inside a longer word: the suffix index), and
        // a piece too short for the suffix index (read newest first until 100 matches or the end).
        let rareID = String(generator.rareToken.dropFirst("req=".count))
        let innerPiece = String(rareID.dropFirst(3).dropLast(2))
        let shortPiece = String(rareID.dropFirst(3).prefix(LogWordSuffixes.minimumFragment - 1))
        for text in [generator.rareToken, rareID, innerPiece, shortPiece, "RT throttling activated", "GET /api/tickets/4711"] {
            var indexRuns: [Double] = []
            var found = 0
            for _ in 0..<11 {
                let started = clock.now
                var query = LogQuery()
                query.text = text
                query.limit = 100
                found = try await store.logs(query).count
                indexRuns.append(Self.seconds(clock.now - started) * 1_000)
            }
            var grepRuns: [Double] = []
            var matches = 0
            for _ in 0..<5 {
                let started = clock.now
                matches = try Self.grepCount(text, in: plain)
                grepRuns.append(Self.seconds(clock.now - started) * 1_000)
            }
            guard found == Swift.min(100, matches) else { throw LogBenchmarkError.wrongAnswer(text: text, found: found, matches: matches) }
            let index = Self.median(indexRuns)
            let grep = Self.median(grepRuns)
            searches.append(
                Search(
                    text: text, matches: matches, indexMilliseconds: index, grepMilliseconds: grep, speedup: grep / index,
                    usesWordIndex: LogTextSearch(text).indexExpression != nil, usesSuffixIndex: LogTextSearch(text).indexFragment != nil))
        }
        progress(batches + 2, batches + 2)
        return Result(
            lines: stored, hosts: senders.count, ingestLinesPerSecond: ingestRate, databaseBytesPerLine: Double(fileBytes) / Double(stored),
            correlateP50Milliseconds: correlations[correlations.count / 2],
            correlateP95Milliseconds: correlations[Int(Double(correlations.count - 1) * 0.95)], searches: searches)
    }

    /// `grep -F -c TEXT FILE` (a count, so the comparison is the scan, not printing).
    static func grepCount(_ text: String, in path: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["grep", "-F", "-c", "--", text, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Int(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func median(_ values: [Double]) -> Double {
        values.sorted()[values.count / 2]
    }
}

/// Realistic lines for the benchmark: access lines and stack traces from apps, containerd lines,
/// kernel lines (a few of them the `kernel-regression` scheduler messages), with request ids.
struct LogLineGenerator {
    private var random: SeededGenerator
    private var count = 0
    /// A request id that appears in exactly one line.
    let rareToken = "req=9f3c2a7be41d0c55"

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    mutating func next(containers: [String], at time: Date) -> ReportRecord {
        count += 1
        if count == 500 {
            return .log(
                LogEntry(
                    severity: .info, layer: .app, source: "stdout", message: "GET /api/orders 200 31.0ms \(rareToken)", container: containers[0]),
                at: time)
        }
        let roll = Int.random(in: 0..<100, using: &random)
        let container = containers[Int.random(in: 0..<containers.count, using: &random)]
        let request = String(UInt64.random(in: 0...UInt64.max, using: &random), radix: 16)
        let entry: LogEntry
        switch roll {
        case 0..<70:
            let path = ["/api/tickets/\(Int.random(in: 1...9_999, using: &random))", "/api/health", "/api/showtimes", "/kiosk/print"][
                Int.random(in: 0..<4, using: &random)]
            let status = Int.random(in: 0..<50, using: &random) == 0 ? 503 : 200
            let entry = LogEntry(
                severity: status == 200 ? .info : .warning, layer: .app, source: "stdout",
                message: "GET \(path) \(status) \(String(format: "%.1f", Double.random(in: 2...400, using: &random)))ms req=\(request)",
                container: container)
            return .log(entry, at: time)
        case 70..<75:
            entry = LogEntry(
                severity: .error, layer: .app, source: "stderr",
                message:
                    "Traceback (most recent call last):\n  File \"/app/server.py\", line \(Int.random(in: 10...900, using: &random)), in handle\nTimeoutError: upstream req=\(request)",
                container: container)
        case 75..<90:
            entry = LogEntry(
                severity: .info, layer: .runtime, source: "containerd",
                message: "time=\"\(time.formatted(.iso8601))\" level=info msg=\"shim disconnected\" id=\(request.prefix(12)) namespace=k8s.io")
        case 90..<97:
            entry = LogEntry(
                severity: .warning, layer: .kernel, source: "kmsg",
                message: "hrtimer: interrupt took \(Int.random(in: 100_000...3_000_000, using: &random)) ns")
        default:
            entry = LogEntry(severity: .warning, layer: .kernel, source: "kmsg", message: "sched: RT throttling activated")
        }
        return .log(entry, at: time)
    }
}

/// The store answered a search differently from `grep -F` over the same lines: a bug, not a figure.
public enum LogBenchmarkError: Error, CustomStringConvertible {
    case wrongAnswer(text: String, found: Int, matches: Int)

    public var description: String {
        switch self {
        case .wrongAnswer(let text, let found, let matches):
            "the store returned \(found) lines with \"\(text)\" where grep -F counts \(matches) (at most 100 are asked for)"
        }
    }
}
