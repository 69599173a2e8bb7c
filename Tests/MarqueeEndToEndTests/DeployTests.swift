import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

/// `marquee apply` of a real spec reaches a real agent on loopback, which runs the container's
/// command (`marquee workload http`) as a real process, probes it and reports it running.
@Suite struct DeployTests {
    private struct RolloutBody: Decodable {
        var state: String
        var reason: String?
    }

    private struct HostBody: Decodable {
        struct Container: Decodable {
            var id: String
            var state: String
            var version: String
            var runtimeInstanceID: String
        }
        var containers: [Container]
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// A port nothing listens on now.
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// GET /health on the workload (2 s timeouts), or nil when nothing answers.
    static func health(port: Int) -> String? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard send(socket, request, request.count, 0) == request.count else { return nil }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response += buffer[0..<count]
            if String(decoding: response, as: UTF8.self).contains("ok\n") { break }
        }
        return response.isEmpty ? nil : String(decoding: response, as: UTF8.self)
    }

    @Test func anAppliedSpecRunsAsARealProcessOnARealAgentAndPassesItsProbes() async throws {
        try await Blocking.run {
            let directory = try TemporaryDirectory(prefix: "marquee-deploy")
            defer { directory.remove() }
            // One theater whose generated hosts are offline: only the real agents take containers.
            let theater = try RealAgentTheater(in: directory)
            defer { TestProcesses.stop(theater.tower) }
            let (runner, site, url, cli) = (theater.runner, theater.site, theater.url, theater.cli)
            let token = try cli.run(["enroll-token", "create", "--site", site]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let agentData = directory.file("agent")
            // A syslog file the agent follows (this machine has none of its own)
            let syslog = directory.file("syslog")
            FileManager.default.createFile(atPath: syslog, contents: nil)
            let agent = try TestProcesses.start(
                runner.executable,
                [
                    "agent", "--no-tenant-networks", "--tower", url, "--enroll-token", token, "--data-dir", agentData, "--hostname", "edge-real",
                    "--syslog-file", syslog,
                ],
                log: directory.file("agent.log"))
            defer { TestProcesses.stop(agent) }
            let hostID = "\(site)-h4"
            _ = try TestProcesses.waitFor("the agent online", timeout: 60) {
                try cli.run(["hosts", "--site", site, "--status", "online", "--output", "json"]).stdout.contains(hostID) ? true : nil
            }

            let port = try Self.freePort()
            let spec = """
                apiVersion: marquee/v1
                kind: Application
                name: hello-web
                version: 1.0.0
                tenant: mtc-platform
                services:
                  - name: web
                    containers:
                      - name: web
                        image: registry.marquee.example/mtc-platform/hello-web:1.0.0
                        command: ["\(runner.executable)", workload, http, --port, "\(port)", --latency, "25"]
                        ports: [\(port)]
                        resources: {cpu: 200m, memory: 64Mi}
                        probes:
                          startup: {http: {path: /health, port: \(port)}, interval: 1s, timeout: 1s, failure-threshold: 30}
                          readiness: {http: {path: /health, port: \(port)}, interval: 1s, timeout: 1s}
                checks:
                  - name: home-page
                    service: web
                    http: {path: /, port: \(port)}
                    interval: 2s
                    timeout: 1s
                ---
                apiVersion: marquee/v1
                kind: Deployment
                application: hello-web
                version: "*"
                placement:
                  match: has(country)
                rollout:
                  healthy-for: 3s
                  deadline: 2m
                """
            // The platform tenant's quota at this theater: the agent fences the tenant's group with it.
            let quota = try cli.run(["tenants", "quota", "mtc-platform", "--site", site, "--cpu", "8", "--memory", "8Gi"])
            #expect(quota.status == 0, "\(quota.stderr)")
            let file = directory.file("hello-web.yaml")
            try spec.write(toFile: file, atomically: true, encoding: .utf8)
            #expect(try cli.run(["validate", "-f", file]).status == 0)
            let applied = try cli.run(["apply", "-f", file, "--output", "json"])
            #expect(applied.status == 0, "\(applied.stderr)")
            #expect(applied.stdout.contains("\"started\""))

            let rollout = try TestProcesses.waitFor("the rollout to finish", timeout: 120) { () -> RolloutBody? in
                let outcome = try cli.run(["rollout", "status", "hello-web-1.0.0", "--output", "json"])
                let body = try JSONDecoder().decode(RolloutBody.self, from: Data(outcome.stdout.utf8))
                return ["completed", "halted"].contains(body.state) ? body : nil
            }
            #expect(rollout.state == "completed", "\(rollout.reason ?? "")")
            // The workload really runs and answers; the tower knows it as running, with its pid.
            #expect(Self.health(port: port)?.contains("ok") == true)
            let host = try JSONDecoder().decode(HostBody.self, from: Data(try cli.run(["host", "show", hostID, "--output", "json"]).stdout.utf8))
            let container = try #require(host.containers.first { $0.id == "\(hostID)/hello-web/web-0" })
            #expect(container.state == "running" && container.version == "1.0.0")
            #expect(Int(container.runtimeInstanceID).map { kill(pid_t($0), 0) == 0 } == true)
            // Its output was captured to the agent's log directory.
            let log = try TestProcesses.waitFor("the container's output captured", timeout: 30) { () -> String? in
                let text = try? String(contentsOfFile: "\(agentData)/logs/\(hostID)_hello-web_web-0.log", encoding: .utf8)
                return text?.contains("GET /health 200") == true ? text : nil
            }
            #expect(log.contains("listening on 127.0.0.1:\(port)"))
            // …and shipped home: the tower's log store has it, with the layer and the container.
            let shipped = try TestProcesses.waitFor("the container's output in the tower's logs", timeout: 60) { () -> String? in
                let outcome = try cli.run(["logs", "--container", "\(hostID)/hello-web/web-0", "--since", "30m", "--limit", "1000"])
                return outcome.stdout.contains("GET /health 200") ? outcome.stdout : nil
            }
            #expect(shipped.contains("listening on 127.0.0.1:\(port)") && shipped.contains("app     info"), "\(shipped)")
            let found = try cli.run(["logs", "--host", hostID, "--grep", "listening on", "--since", "30m", "--output", "json"])
            #expect(found.status == 0 && found.stdout.contains("\"layer\" : \"app\"") && found.stdout.contains("\"app\" : \"hello-web\""))
            // Host sources: the agent says which it reads; a syslog line (a stack trace joined to it) and,
            // where /dev/kmsg is writable, a kernel message reach the tower with their layers.
            let sources = try cli.run(["logs", "--host", hostID, "--layer", "agent", "--grep", "host log sources", "--since", "30m"])
            #expect(sources.stdout.contains("syslog:\(syslog) available"), "\(sources.stdout)")
            let marker = "marquee-e2e-\(UUID().uuidString.prefix(8))"
            let line = "\(Date().formatted(.iso8601)) edge-real containerd[42]: \(marker) shim exited\n\tat frame one\n"
            try FileHandle(forWritingAtPath: syslog).map {
                try $0.seekToEnd()
                try $0.write(contentsOf: Data(line.utf8))
                try $0.close()
            }
            let kernel = FileManager.default.isWritableFile(atPath: "/dev/kmsg")
            if kernel { try FileHandle(forWritingAtPath: "/dev/kmsg").map { try $0.write(contentsOf: Data("<4>\(marker) kernel side\n".utf8)) } }
            let hostLines = try TestProcesses.waitFor("host log lines at the tower", timeout: 60) { () -> String? in
                let outcome = try cli.run(["logs", "--host", hostID, "--grep", marker, "--since", "30m", "--output", "json"])
                let complete = outcome.stdout.contains("shim exited\\n\\tat frame one") && (!kernel || outcome.stdout.contains("kernel side"))
                return complete ? outcome.stdout : nil
            }
            #expect(hostLines.contains("\"layer\" : \"runtime\""), "\(hostLines)")
            if kernel { #expect(hostLines.contains("\"layer\" : \"kernel\"")) }
            // Topology through the tower: the container → its app and this machine's real kernel, and back
            let topology = try cli.run(["topology", "\(hostID)/hello-web/web-0", "--output", "json"])
            #expect(topology.status == 0 && topology.stdout.contains("\"app\" : \"hello-web\""), "\(topology.stderr)")
            #expect(topology.stdout.contains("\"attribute\" : \"runtime+kernel\""))
            let missing = try cli.run(["topology", "no-such-host"])
            #expect(missing.status != 0 && missing.stderr.contains("no container or host no-such-host"))
            // Where this machine lets us write cgroups (v1 here), the memory limit is in force, and the
            // tenant's quota at the site fences the tenant's group around it.
            if FileManager.default.isWritableFile(atPath: "/sys/fs/cgroup/memory"), FileManager.default.isWritableFile(atPath: "/sys/fs/cgroup/cpu") {
                // This agent's tenant group: the one holding this test's container.
                let groups = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup/memory/marquee")) ?? []
                let ours = groups.first {
                    $0.hasSuffix(".\(hostID).mtc-platform")
                        && FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/marquee/\($0)/\(hostID)_hello-web_web-0")
                }
                let tenantGroup = "marquee/\(try #require(ours, "no tenant group holds the container: \(groups)"))"
                func read(_ path: String) -> String? {
                    (try? String(contentsOfFile: "/sys/fs/cgroup/\(path)", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                #expect(read("memory/\(tenantGroup)/\(hostID)_hello-web_web-0/memory.limit_in_bytes") == String(64 << 20))
                #expect(read("memory/\(tenantGroup)/memory.limit_in_bytes") == String(8 << 30))
                #expect(read("cpu/\(tenantGroup)/cpu.cfs_quota_us") == "800000")
            }
            // Its probes' latencies travelled through the outbox into the tower's series: the workload
            // answers after 25 ms, so p50 is at least that.
            let series = try TestProcesses.waitFor("probe samples in the series", timeout: 60) { () -> ProbeSeries? in
                let outcome = try cli.run(["probes", "series", "--app", "hello-web", "--host", hostID, "--since", "30m", "--output", "json"])
                let series = try Self.decoder.decode(ProbeSeries.self, from: Data(outcome.stdout.utf8))
                return series.total.count >= 5 ? series : nil
            }
            #expect(series.scope == .host(hostID) && series.resolution == .minute && !series.points.isEmpty)
            #expect((series.total.p50 ?? 0) >= 25 && (series.total.p50 ?? 0) < 2_000, "\(series.total)")
            #expect(series.total.errors == 0)
            let fleetWide = try Self.decoder.decode(
                ProbeSeries.self,
                from: Data(try cli.run(["probes", "series", "--app", "hello-web", "--since", "30m", "--output", "json"]).stdout.utf8))
            #expect(fleetWide.total.count >= series.total.count)
            // The synthetic check (GET / every 2 s) is a series of its own.
            let check = try TestProcesses.waitFor("check samples in their own series", timeout: 60) { () -> ProbeSeries? in
                let outcome = try cli.run(["probes", "series", "--app", "hello-web:home-page", "--site", site, "--since", "30m", "--output", "json"])
                let series = try Self.decoder.decode(ProbeSeries.self, from: Data(outcome.stdout.utf8))
                return series.total.count >= 2 ? series : nil
            }
            #expect((check.total.p50 ?? 0) >= 25 && check.total.errors == 0, "\(check.total)")
            let top = try cli.run(["probes", "top", "--app", "hello-web", "--since", "30m"])
            #expect(top.status == 0 && top.stdout.contains(site) && top.stdout.contains("hello-web"))
            // Stopping the agent stops its containers (they are its children with this driver).
            TestProcesses.stop(agent)
            _ = try TestProcesses.waitFor("the workload stopped", timeout: 30) { Self.health(port: port) == nil ? true : nil }
        }
    }
}
