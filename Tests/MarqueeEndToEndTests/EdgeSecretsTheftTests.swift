import Crypto
import Foundation
import MarqueeCore
import MarqueeRemote
import MarqueeTestSupport
import Synchronization
import Testing

/// Secrets at the edge with real processes: the tower delivers a secret to the two real agents
/// whose containers reference it, the containers get the value, and the data directories of
/// powered-off hosts (what a thief carries away) give away neither the value nor any key.
@Suite struct EdgeSecretsTheftTests {
    private struct HostBody: Decodable {
        struct Container: Decodable {
            var id: String
            var state: String
            var detail: String?
        }
        var containers: [Container]
    }

    /// Every regular file under `directory`, recursively.
    static func files(under directory: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var result: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = directory + "/" + relative
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue { result.append(path) }
        }
        return result
    }

    @Test func secretsReachTheContainersAndStolenDataDirectoriesGiveNothingAway() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-edge-theft")
            defer { directory.remove() }
            // One theater whose generated hosts are offline: only the real agents take containers.
            let theater = try RealAgentTheater(in: directory)
            defer { TestProcesses.stop(theater.tower) }
            let (runner, site, url, cli) = (theater.runner, theater.site, theater.url, theater.cli)
            let plaintext = "UPLINK-PLAINTEXT-\(UUID().uuidString)"
            let put = try cli.run(
                ["secrets", "put", "platform/ticket-scanner", "--app", "ticket-scanner"], stdin: #"{"uplink-token":"\#(plaintext)"}"#)
            #expect(put.status == 0, "\(put.stderr)")

            let token = try cli.run(["enroll-token", "create", "--site", site]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let agentData = (1...2).map { directory.file("agent\($0)") }
            func startAgent(_ index: Int) throws -> Process {
                try TestProcesses.start(
                    runner.executable,
                    [
                        "agent", "--no-tenant-networks", "--tower", url, "--enroll-token", token, "--data-dir", agentData[index], "--hostname",
                        "edge-\(index + 1)",
                        "--log-sources", "none",
                    ],
                    log: directory.file("agent\(index + 1).log"))
            }
            var agents = try (0..<2).map(startAgent)
            defer { agents.forEach(TestProcesses.stop) }
            _ = try TestProcesses.waitFor("both agents online", timeout: 60) {
                let online = try cli.run(["hosts", "--site", site, "--status", "online", "--output", "json"]).stdout
                return online.contains("\(site)-h4") && online.contains("\(site)-h5") ? true : nil
            }

            // Each container writes the SHA-256 of what it received outside the data directories.
            let seen = directory.file("seen")
            try FileManager.default.createDirectory(atPath: seen, withIntermediateDirectories: true)
            let spec = TicketScannerSpec.yaml(seen: seen, replicas: 2)
            let file = directory.file("ticket-scanner.yaml")
            try spec.write(toFile: file, atomically: true, encoding: .utf8)
            let applied = try cli.run(["apply", "-f", file])
            #expect(applied.status == 0, "\(applied.stderr)")
            _ = try TestProcesses.waitFor("both containers saw the secret", timeout: 90) { () -> Bool? in
                try TicketScannerSpec.sightings(of: plaintext, in: seen) >= 2 ? true : nil
            }
            for data in agentData { #expect(FileManager.default.fileExists(atPath: data + "/secrets.sealed.json")) }

            // The site key, as the tower gives it to an enrolled host (to search the disks for it).
            let credentials = agentData.map {
                (try? String(contentsOfFile: $0 + "/credential", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            }
            let tower1 = try TowerClient(baseURL: url)
            let grant = try Self.await { try await tower1.unseal(credential: credentials[0]) }
            let masterKey = try String(contentsOfFile: directory.file("master.key"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)

            // Power off both hosts; a thief copies one data directory, then the other.
            agents.forEach(TestProcesses.stop)
            var stolen: [String] = []
            for (index, data) in agentData.enumerated() {
                let copy = directory.file("stolen\(index + 1)")
                try FileManager.default.copyItem(atPath: data, toPath: copy)
                stolen.append(copy)
            }
            let needles: [(String, Data)] = [
                ("the value", Data(plaintext.utf8)), ("the value in base64", Data(Data(plaintext.utf8).base64EncodedString().utf8)),
                ("the site key", grant.key), ("the site key in base64", Data(grant.key.base64EncodedString().utf8)),
                ("the master key", Data(masterKey.utf8)), ("the raw master key", Data(base64Encoded: masterKey) ?? Data()),
            ]
            let files = stolen.flatMap(Self.files(under:))
            #expect(files.count >= 6)
            for path in files {
                let contents = try Data(contentsOf: URL(fileURLWithPath: path))
                for (what, needle) in needles where !needle.isEmpty {
                    #expect(contents.firstRange(of: needle) == nil, "\(what) is in \(path)")
                }
            }
            // Try every 32 bytes on the stolen disks as the site key: nothing opens. (The real key
            // does, so the attempt is not vacuous.)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let bundle = try decoder.decode(EdgeSecretBundle.self, from: Data(contentsOf: URL(fileURLWithPath: stolen[0] + "/secrets.sealed.json")))
            let item = try #require(bundle.items.first)
            #expect(
                try EdgeSecretCipher.open(item, siteID: bundle.siteID, siteKey: SymmetricKey(data: grant.key))
                    == Data(#"{"uplink-token":"\#(plaintext)"}"#.utf8))
            var attempts = 0
            for path in files {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                guard bytes.count >= 32 else { continue }
                for start in 0...(bytes.count - 32) {
                    attempts += 1
                    let opened = try? EdgeSecretCipher.open(item, siteID: bundle.siteID, siteKey: SymmetricKey(data: bytes[start..<start + 32]))
                    #expect(opened == nil, "a key was found in \(path) at \(start)")
                }
            }
            #expect(attempts > 1_000)

            // The on-call engineer locks the theater down and revokes the first stolen host. The
            // tower then refuses the key to both, and the host left at the theater, powered on
            // again, purges its sealed copies and does not start the container.
            #expect(try cli.run(["lockdown", site, "--reason", "two hosts stolen"]).status == 0)
            let firstHost = try String(contentsOfFile: agentData[0] + "/host-id", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try cli.run(["hosts", "revoke", firstHost, "--reason", "stolen"]).status == 0)
            let refusals = try Self.await { () -> [Int] in
                var statuses: [Int] = []
                for index in 0..<2 {
                    do {
                        _ = try await tower1.unseal(credential: credentials[index])
                        statuses.append(200)
                    } catch let RemoteError.api(status, _) {
                        statuses.append(status)
                    }
                }
                return statuses
            }
            #expect(refusals == [401, 403])
            agents = [try startAgent(1)]
            _ = try TestProcesses.waitFor("the sealed copies purged at the locked theater", timeout: 60) {
                FileManager.default.fileExists(atPath: agentData[1] + "/secrets.sealed.json") ? nil : true
            }
            let audit = try cli.run(["audit", "--output", "json"]).stdout
            #expect(audit.contains("denied secrets.unseal") && audit.contains("\"secrets.unseal\""))
            // No value anywhere in what the tower and the agents logged or shipped.
            for log in ["tower.log", "agent1.log", "agent2.log"] {
                #expect(!((try? String(contentsOfFile: directory.file(log), encoding: .utf8)) ?? "").contains(plaintext))
            }
            #expect(!(try cli.run(["logs", "--site", site, "--since", "1h", "--limit", "5000", "--output", "json"]).stdout).contains(plaintext))
        }
    }

    /// Runs async work from the test's blocking thread.
    static func await<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try box.get()
    }
}

/// The result of async work handed to a blocking thread.
final class ResultBox<T: Sendable>: Sendable {
    private let result = Mutex<Result<T, any Error>?>(nil)

    func set(_ value: Result<T, any Error>) { result.withLock { $0 = value } }

    func get() throws -> T {
        guard let value = result.withLock({ $0 }) else { throw CancellationError() }
        return try value.get()
    }
}
