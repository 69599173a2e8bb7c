import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

@Suite struct CohortAnalysisTests {
    /// 60 theaters: kernels and runtimes mixed so that each alone is common among healthy theaters,
    /// while the combination (containerd 1.7.13 on 6.1.0-18) is what the slow ones share.
    static func constructedFleet() -> (attributes: [HostCohortAttributes], slow: Set<String>) {
        var attributes: [HostCohortAttributes] = []
        var slow: Set<String> = []
        for site in 0..<60 {
            let kernel = ["6.1.0-18-amd64", "6.1.0-21-amd64", "6.8.0-49-generic"][site % 3]
            let runtime = ["1.7.13", "1.6.33", "2.0.0", "1.7.13"][site / 3 % 4]
            for index in 1...3 {
                let host = EdgeHost(
                    id: "s\(site)-h\(index)", serialNumber: "S\(site)-\(index)", hostname: "h", siteID: "s\(site)", clusterID: "c\(site)",
                    osName: "Debian", osVersion: "12", kernelRelease: kernel, runtimeName: "containerd", runtimeVersion: runtime,
                    agentVersion: "0.9.0",
                    cpuCores: 8, memoryBytes: 16 << 30, diskBytes: 1 << 40, status: .online, lastSeen: nil)
                attributes.append(HostCohortAttributes(host, country: ["SE", "DE", "US"][site % 3]))
                if kernel == "6.1.0-18-amd64" && runtime == "1.7.13" { slow.insert(host.id) }
            }
        }
        return (attributes, slow)
    }

    @Test func theRuntimeAndKernelCombinationRanksFirst() throws {
        let (attributes, slow) = Self.constructedFleet()
        let findings = CohortAnalysis.rank(degradedHosts: slow, measuredHosts: Set(attributes.map(\.hostID)), attributes: attributes)
        let best = try #require(findings.first)
        #expect(best.attribute == "runtime+kernel" && best.value == "containerd 1.7.13 on 6.1.0-18-amd64")
        #expect(best.degradedWith == best.degradedTotal && best.healthyWith == 0 && best.score == 1)
        #expect(best.exampleHost.map(slow.contains) == true)
        // Each half of the combination alone separates less well: healthy theaters have it too.
        let kernel = try #require(findings.first { $0.attribute == "kernel" && $0.value == "6.1.0-18-amd64" })
        let runtime = try #require(findings.first { $0.attribute == "runtime" && $0.value == "containerd 1.7.13" })
        #expect(kernel.score < best.score && runtime.score < best.score && kernel.healthyWith > 0 && runtime.healthyWith > 0)
        // Shared by everyone: no separation at all.
        #expect(findings.first { $0.attribute == "os" }?.score == 0)
        #expect(best.sentence.hasPrefix("\(best.degradedTotal) of \(best.degradedTotal) degraded theaters have runtime+kernel"))
    }

    static func figures(_ latencies: [Double], errors: Int64 = 0) -> ProbeDegradation.Figures {
        var sketch = LatencySketch()
        for latency in latencies { sketch.record(latency) }
        return (sketch, errors)
    }

    @Test func aHostIsJudgedAgainstItsOwnHistoryOrTheFleetWhenHistoryIsShort() {
        let policy = DegradationPolicy()
        let normal = Array(repeating: 20.0, count: 30)
        let current: [String: ProbeDegradation.Figures] = [
            "a": Self.figures(normal), "b": Self.figures(normal), "c": Self.figures(normal.map { $0 * 4 }),
            "d": Self.figures(normal.map { $0 * 2 }), "e": Self.figures(normal, errors: 5), "f": Self.figures(Array(repeating: 500, count: 9)),
        ]
        // d has always been slow (its own baseline is 40 ms): not degraded. c has no history: compared with the fleet median.
        // e has a baseline too thin to use (fleet median instead).
        let baselines: [String: ProbeBaseline] = [
            "d": ProbeBaseline(figures: Self.figures(Array(repeating: 40.0, count: 100)), kind: "same-hour"),
            "e": ProbeBaseline(figures: Self.figures(Array(repeating: 5.0, count: 3)), kind: "trailing"),
        ]
        let degraded = ProbeDegradation.degradedHosts(current: current, baselines: baselines, policy: policy)
        #expect(degraded.map(\.hostID) == ["c", "e"])
        #expect(degraded.first?.baselineKind == "fleet" && abs((degraded.first?.baseline ?? 0) - 20) / 20 < 0.01)
        #expect(degraded.last?.baselineKind == "fleet")
        // The most specific baseline with enough samples wins.
        let thin = Self.figures([1, 2])
        let deep = Self.figures(normal)
        let chosen = ProbeBaseline.first(of: [(thin, "same-hour"), (nil, "trailing"), (deep, "site")], minimumSamples: 30)
        #expect(chosen?.kind == "site")
        // f has too few samples to judge.
        #expect(!degraded.contains { $0.hostID == "f" })
    }
}
