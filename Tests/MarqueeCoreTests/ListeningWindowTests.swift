import Foundation
import MarqueeCore
import Testing

/// The offline sweep judges silence only over time the tower itself was listening.
@Suite struct ListeningWindowTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// Sweeps every `interval` seconds from `from`, returning each sweep's verdict.
    private func sweeps(_ window: inout ListeningWindow, from: TimeInterval, count: Int) -> [ListeningWindow.Deafness?] {
        (0..<count).map { index in window.judge(at: start.addingTimeInterval(from + Double(index) * window.interval)) }
    }

    @Test func aStartingTowerListensForAWholeSilenceBeforeJudging() {
        var window = ListeningWindow(interval: 10, silence: 30)
        let verdicts = sweeps(&window, from: 0, count: 5)
        #expect(verdicts[0] == .justStarted)
        #expect(verdicts[1] == .recovering(until: start.addingTimeInterval(30)))
        #expect(verdicts[2] == .recovering(until: start.addingTimeInterval(30)))
        #expect(verdicts[3] == nil && verdicts[4] == nil)
        #expect(window.listeningSince == start)
    }

    @Test func aLateSweepMeansTheTowerWasDeafAndReopensTheWindow() {
        var window = ListeningWindow(interval: 10, silence: 30)
        _ = sweeps(&window, from: 0, count: 4)
        // A sweep up to a silence less one interval late (20 s) still judges: the heartbeats it
        // delayed are applied when it catches up. Later than that, the tower was deaf.
        #expect(window.tolerance == 20)
        #expect(window.judge(at: start.addingTimeInterval(30 + 29)) == nil)
        #expect(window.judge(at: start.addingTimeInterval(59 + 35)) == .sweepLate(seconds: 25))
        #expect(window.listeningSince == start.addingTimeInterval(94))
        #expect(window.judge(at: start.addingTimeInterval(104)) == .recovering(until: start.addingTimeInterval(124)))
        #expect(window.judge(at: start.addingTimeInterval(114)) == .recovering(until: start.addingTimeInterval(124)))
        #expect(window.judge(at: start.addingTimeInterval(124)) == nil)
    }

    @Test func heartbeatsWaitingInTheTowersQueueHoldTheJudgement() {
        var window = ListeningWindow(interval: 10, silence: 30)
        _ = sweeps(&window, from: 0, count: 4)
        #expect(window.judge(at: start.addingTimeInterval(40), queuedFor: 12) == nil)
        #expect(window.judge(at: start.addingTimeInterval(50), queuedFor: 25) == .heartbeatsQueued(seconds: 25))
        #expect(window.judge(at: start.addingTimeInterval(60)) == .recovering(until: start.addingTimeInterval(80)))
        #expect(window.judge(at: start.addingTimeInterval(80)) == nil)
    }
}
