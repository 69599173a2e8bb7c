import Foundation
import MarqueeCore
import Testing

@Suite struct SpecParserTests {
    static let application = """
        apiVersion: marquee/v1
        kind: Application
        name: people-counter
        version: 2.5.0
        tenant: mtc-platform
        services:
          - name: counter
            replicas: 2
            containers:
              - name: counter
                image: registry.example/people-counter:2.5.0
                command: [people-counter, serve]
                args: [--screens, "${site.labels.screens}"]
                env: {TOKEN: "${secret:platform/counter/token}"}
                ports: [8080]
                volumes: [{name: data, path: /var/lib/counter, size: 1Gi}]
                resources: {cpu: 250m, memory: 192Mi, storage: 2Gi}
                probes:
                  readiness:
                    http: {path: /health, port: 8080}
                    interval: 5s
                    timeout: 1s
                    failure-threshold: 4
        network:
          ingress: [8080]
          outbound: ["ingest.example:443"]
        ---
        apiVersion: marquee/v1
        kind: Deployment
        application: people-counter
        version: "*"
        placement:
          match: size in (medium, large)
        rollout:
          canary: {sites: 3, healthy-for: 10m}
          waves: {percent: 20}
          healthy-for: 5m
          deadline: 20m
          max-failed: 2
          auto-rollback: on-failure
          windows:
            - days: [mon-thu, sun]
              from: "02:00"
              to: "10:00"
        """

    @Test func readsEveryFieldOfAnApplicationAndADeployment() throws {
        let (specs, diagnostics) = SpecParser.parse(yaml: Self.application, file: "pc.yaml")
        #expect(diagnostics.isEmpty)
        let application = try #require(specs.applications.first)
        #expect(application.name == "people-counter" && application.version == "2.5.0" && application.tenant == "mtc-platform")
        let container = try #require(application.services.first?.containers.first)
        #expect(application.services[0].replicas == 2)
        #expect(container.args == ["--screens", "${site.labels.screens}"])
        #expect(container.resources == ResourceRequest(cpu: 0.25, memoryBytes: 192 << 20, storageBytes: 2 << 30))
        #expect(container.volumes == [VolumeSpec(name: "data", path: "/var/lib/counter", sizeBytes: 1 << 30)])
        #expect(
            container.probes == [
                ProbeSpec(purpose: .readiness, check: .http(path: "/health", port: 8080), interval: 5, timeout: 1, failureThreshold: 4)
            ])
        #expect(application.secretReferences == [SpecTemplate.SecretReference(vault: "platform", name: "counter", key: "token")])
        #expect(application.network == NetworkPolicy(ingress: [8080], outbound: ["ingest.example:443"]))
        #expect(application.resourcesPerSite.cpu == 0.5)
        let deployment = try #require(specs.deployments.first)
        #expect(deployment.version == .follow)
        #expect(deployment.placement == "size in (medium, large)")
        #expect(deployment.rollout.canary == CanaryPolicy(sites: .count(3), healthyFor: 600))
        #expect(deployment.rollout.waves == .percent(20))
        #expect(deployment.rollout.healthyFor == 300 && deployment.rollout.deadline == 1_200 && deployment.rollout.maxFailed == 2)
        #expect(deployment.rollout.windows == [MaintenanceWindow(days: [1, 2, 3, 4, 7], from: 120, to: 600)])
    }

    @Test func reportsEveryMistakeWithFileLineColumnAndPath() {
        let yaml = """
            apiVersion: marquee/v1
            kind: Application
            name: People_Counter
            version: 2.6.0
            tenant: mtc-platform
            services:
              - name: counter
                replica: 2
                containers:
                  - name: counter
                    image: x
                    ports: [8080, 70000]
                    resources: {cpu: lots, memory: 12 parsecs}
                    probes:
                      readiness:
                        http: {path: /health, port: 8081}
                        timeout: 1m
                      sometimes: {}
            ---
            apiVersion: marquee/v1
            kind: Deployment
            application: people-counter
            version: "*"
            placement:
              match: size in (medium, large
            rollout:
              canary: {sites: 3, match: "country = SE"}
              waves: {sites-in-parallel: 0}
              auto-rollback: sometimes
              windows: [{days: [mon-fry], from: "25:00", to: "10:00"}]
            ---
            apiVersion: marquee/v2
            kind: Deploymnet
            """
        let (_, diagnostics) = SpecParser.parse(yaml: yaml, file: "broken.yaml")
        #expect(
            diagnostics.map(\.description) == [
                "broken.yaml:3:7: name: `People_Counter` is not a valid name: lower-case letters, digits and `-`, at most 63",
                "broken.yaml:8:5: services[0].replica: unknown field `replica`; did you mean `replicas`?",
                "broken.yaml:12:23: services[0].containers[0].ports[1]: expected a port number 1…65535, found `70000`",
                "broken.yaml:13:26: services[0].containers[0].resources.cpu: expected CPU cores such as `250m` or `1.5` (more than 0, at most 256), found `lots`",
                "broken.yaml:13:40: services[0].containers[0].resources.memory: expected a size such as `256Mi`, `2Gi` or `500M`, found `12 parsecs`",
                "broken.yaml:16:41: services[0].containers[0].probes.readiness.http.port: probe port 8081 is not a port of this container; the container's ports are 8080",
                "broken.yaml:17:22: services[0].containers[0].probes.readiness.timeout: timeout 60s is longer than the interval 10s",
                "broken.yaml:18:11: services[0].containers[0].probes.sometimes: unknown field `sometimes`; expected one of startup, liveness, readiness",
                "broken.yaml:25:32: placement.match: bad selector `size in (medium, large`: column 23: expected ',' or ')' in the 'in' list, but the selector ends here",
                "broken.yaml:27:11: rollout.canary: a canary names its sites with exactly one of `match` (a selector) or `sites` (a count)",
                "broken.yaml:28:30: rollout.waves.sites-in-parallel: 0 is out of range 1…10000",
                "broken.yaml:29:18: rollout.auto-rollback: expected one of on-failure, on-probe-regression, off, found `sometimes`",
                "broken.yaml:30:21: rollout.windows[0].days[0]: expected a day (`mon` … `sun`) or a range such as `mon-thu`, found `mon-fry`",
                "broken.yaml:30:37: rollout.windows[0].from: expected a local time `HH:MM` such as \"02:00\", found `25:00`",
                "broken.yaml:33:7: kind: unknown kind `Deploymnet`; did you mean `Deployment`?",
            ])
    }

    @Test func checksAttachToTheServiceContainerWithThePortAndNameTheirMistakes() throws {
        let good = Self.application.replacingOccurrences(
            of: "network:\n", with: "checks:\n  - {name: counts-page, service: counter, http: {path: /counts, port: 8080}, interval: 5s}\nnetwork:\n")
        let (specs, diagnostics) = SpecParser.parse(yaml: good, file: "pc.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let probes = try #require(specs.applications.first?.services.first?.containers.first?.probes)
        let check = try #require(probes.last)
        #expect(
            check
                == ProbeSpec(
                    purpose: .check, check: .http(path: "/counts", port: 8080), interval: 5, timeout: 2, failureThreshold: 1, name: "counts-page"))
        #expect(check.sampleName == "check:counts-page")
        let sample = ProbeSample(
            app: "people-counter", service: "counter", container: "c", probe: check.sampleName, latencyMilliseconds: 1, success: true)
        #expect(sample.series == "people-counter:counts-page")
        let bad = Self.application.replacingOccurrences(
            of: "network:\n",
            with: """
                checks:
                  - {name: a, service: nope, tcp: {port: 8080}}
                  - {name: b, service: counter, tcp: {port: 9999}}
                  - {name: c, service: counter}
                network:

                """)
        let (_, errors) = SpecParser.parse(yaml: bad, file: "pc.yaml")
        #expect(
            errors.map(\.description) == [
                "pc.yaml:25:24: checks[0].service: no service `nope` in this application; services are counter",
                "pc.yaml:26:45: checks[1].tcp.port: no container of service `counter` exposes port 9999; its ports are 8080",
                "pc.yaml:27:5: checks[2]: a check needs one of `http` or `tcp`",
            ], "\(errors)")
    }

    @Test func reportsYAMLSyntaxErrorsWithTheirPosition() {
        let (_, diagnostics) = SpecParser.parse(yaml: "apiVersion: marquee/v1\nkind: Application\nname: [unclosed\n", file: "bad.yaml")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.file == "bad.yaml")
        #expect(diagnostics.first?.message.hasPrefix("YAML syntax:") == true)
        #expect((diagnostics.first?.line ?? 0) >= 3)
    }

    @Test func loadsTheExamplesDirectoryAndFindsCrossFileDuplicates() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../examples").standardized.path
        let specs = try SpecLoader.load(examples)
        #expect(Set(specs.applications.map(\.name)) == ["people-counter", "kiosk-ticketing", "hvac-monitor", "vision-analytics"])
        #expect(specs.deployments.count == 4)
        let text = try String(contentsOfFile: examples + "/hvac-monitor.yaml", encoding: .utf8)
        #expect(throws: SpecError.self) {
            try SpecLoader.parse([("a.yaml", text), ("b.yaml", text)])
        }
    }

    @Test func windowsFollowTheSiteLocalTimeAndRunPastMidnight() throws {
        let window = MaintenanceWindow(days: [5], from: 22 * 60, to: 6 * 60)  // Friday 22:00 – Saturday 06:00
        let stockholm = try #require(TimeZone(identifier: "Europe/Stockholm"))
        let formatter = ISO8601DateFormatter()
        #expect(window.contains(try #require(formatter.date(from: "2026-11-27T22:30:00Z")), timeZone: stockholm))  // Fri 23:30 local
        #expect(window.contains(try #require(formatter.date(from: "2026-11-28T03:00:00Z")), timeZone: stockholm))  // Sat 04:00 local
        #expect(!window.contains(try #require(formatter.date(from: "2026-11-28T06:00:00Z")), timeZone: stockholm))  // Sat 07:00 local
        #expect(!window.contains(try #require(formatter.date(from: "2026-11-26T22:30:00Z")), timeZone: stockholm))  // Thu 23:30 local
        let policy = RolloutPolicy(windows: [MaintenanceWindow(days: [1, 2, 3, 4, 5, 6, 7], from: 120, to: 600)])
        let noon = try #require(formatter.date(from: "2026-11-26T12:00:00Z"))
        let opening = try #require(policy.nextWindowOpening(after: noon, timeZone: stockholm))
        #expect(formatter.string(from: opening) == "2026-11-27T01:00:00Z")
    }

    @Test func suggestsTheClosestField() {
        #expect(
            SpecParser.parse(
                yaml: "apiVersion: marquee/v1\nkind: Deployment\napplicaton: x\nversion: '1'\nplacement: {match: 'a = b'}\n", file: "d.yaml"
            )
            .diagnostics.map(\.message).contains("unknown field `applicaton`; did you mean `application`?"))
    }
}
