import Foundation
import MarqueeCore
import MarqueeTestSupport
import Testing

/// Alerts per (app, theater) on a virtual timeline: raised after a sustained streak, not flapping,
/// cleared only after a longer healthy streak.
@Suite struct ProbeAlertsTests {
    static func report(degraded sites: [String], app: String = "kiosk-ticketing") -> ProbeCohortReport {
        ProbeCohortReport(
            app: app, window: 900, fleet: nil, measuredHosts: 30,
            degraded: sites.map {
                DegradedHost(hostID: "\($0)-h1", siteID: $0, p95: 120, baselineP95: 24, baseline: "fleet", errorRate: 0, samples: 90, container: nil)
            }, degradedSites: sites.count, healthySites: 10 - sites.count,
            cohorts: sites.isEmpty
                ? []
                : [
                    CohortFinding(
                        attribute: "runtime+kernel", value: "containerd 1.7.13 on 6.1.0-18-amd64", degradedWith: sites.count,
                        degradedTotal: sites.count, healthyWith: 0, healthyTotal: 10, score: 1, exampleHost: "\(sites[0])-h1")
                ])
    }

    @Test func raisedAfterASustainedStreakClearedAfterALongerOneAndNoFlapping() {
        var alerts = ProbeAlerts(raiseAfter: 180, clearAfter: 600)
        let start = Fixtures.now
        func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }
        // Degraded for two minutes: nothing yet.
        for t in [0.0, 60, 120] { #expect(alerts.evaluate([Self.report(degraded: ["se-sto-001"])], now: at(t)).isEmpty) }
        let raised = alerts.evaluate([Self.report(degraded: ["se-sto-001"])], now: at(180))
        #expect(raised.map(\.kind) == ["probe.degraded"] && raised.first?.subject == "site/se-sto-001")
        #expect(raised.first?.message.contains("5.0×") == true && raised.first?.message.contains("containerd 1.7.13") == true)
        #expect(alerts.raised == ["kiosk-ticketing/se-sto-001"])
        // It flickers: healthy once, degraded again: no event either way.
        #expect(alerts.evaluate([Self.report(degraded: [])], now: at(240)).isEmpty)
        #expect(alerts.evaluate([Self.report(degraded: ["se-sto-001"])], now: at(300)).isEmpty)
        // Healthy from 360 on: cleared only once 600 s have passed.
        for t in stride(from: 360.0, to: 960, by: 60) { #expect(alerts.evaluate([Self.report(degraded: [])], now: at(t)).isEmpty) }
        let cleared = alerts.evaluate([Self.report(degraded: [])], now: at(960))
        #expect(cleared.map(\.kind) == ["probe.recovered"] && alerts.raised.isEmpty)
        // A blip shorter than raiseAfter never raises.
        #expect(alerts.evaluate([Self.report(degraded: ["de-ber-001"])], now: at(1_000)).isEmpty)
        #expect(alerts.evaluate([Self.report(degraded: [])], now: at(1_060)).isEmpty)
        #expect(alerts.evaluate([Self.report(degraded: ["de-ber-001"])], now: at(1_120)).isEmpty)
        #expect(alerts.evaluate([Self.report(degraded: ["de-ber-001"])], now: at(1_240)).isEmpty)
    }

    @Test func anAppNotJudgedThisTimeKeepsItsAlerts() {
        var alerts = ProbeAlerts(raiseAfter: 0, clearAfter: 0)
        _ = alerts.evaluate([Self.report(degraded: ["se-sto-001"])], now: Fixtures.now)
        #expect(alerts.raised.count == 1)
        // Only another app reported (kiosk had no samples this round): kiosk's alert stays.
        #expect(alerts.evaluate([Self.report(degraded: [], app: "hvac-monitor")], now: Fixtures.now.addingTimeInterval(60)).isEmpty)
        #expect(alerts.raised == ["kiosk-ticketing/se-sto-001"])
    }

    @Test func alertsReadBackFromEventsAndSurviveARestart() {
        var alerts = ProbeAlerts(raiseAfter: 0, clearAfter: 0)
        let start = Fixtures.now
        var log = alerts.evaluate([Self.report(degraded: ["se-sto-001", "de-ber-001"])], now: start)
        log += alerts.evaluate([Self.report(degraded: ["se-sto-001"])], now: start.addingTimeInterval(60))
        let read = ProbeAlert.alerts(from: log.reversed())
        #expect(read.map(\.id) == ["kiosk-ticketing/se-sto-001", "kiosk-ticketing/de-ber-001"])
        #expect(read.first?.isActive == true && read.last?.clearedAt == start.addingTimeInterval(60))
        // Other events are ignored.
        #expect(
            ProbeAlert.alerts(from: [Event(time: start, kind: "host.offline", severity: .warning, subject: "host/x", message: "x", actor: "system")])
                .isEmpty)
        // A new tower restores the active one and clears it when the theater recovers.
        var restarted = ProbeAlerts(raiseAfter: 0, clearAfter: 0)
        restarted.restore(read, now: start.addingTimeInterval(120))
        #expect(restarted.raised == ["kiosk-ticketing/se-sto-001"])
        let cleared = restarted.evaluate([Self.report(degraded: [])], now: start.addingTimeInterval(180))
        #expect(cleared.map(\.kind) == ["probe.recovered"] && cleared.first?.subject == "site/se-sto-001")
    }
}
