import MarqueeConsole
import MarqueeCore
import Testing

@Suite struct WidgetTests {
    @Test func gaugeFillsInProportion() {
        #expect(Gauge.text(ratio: 0.5, width: 10) == "█████░░░░░ 50%")
        #expect(Gauge.text(ratio: 1, width: 4) == "████ 100%")
        #expect(Gauge.text(ratio: -1, width: 4) == "░░░░ 0%")
        #expect(Gauge.text(ratio: .nan, width: 2) == "░░ 0%")
    }

    @Test func sparklineScalesToItsRange() {
        #expect(Sparkline.text([1, 2, 3, 4, 5, 6, 7, 8], width: 8) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline.text([5, 5, 5], width: 3) == "▁▁▁")
        #expect(Sparkline.text([0, 50, 100], width: 3, maximum: 200) == "▁▃▅")
        #expect(Sparkline.text([1, 2, 3, 4], width: 2) == "▁█")
        #expect(Sparkline.text([], width: 5).isEmpty)
    }

    @Test func dialogsStartOnCancelAndNeedTheTypedTarget() {
        var dialog = Dialog(title: "Lock down?", message: ["x"], typedConfirmation: "se-sto-006", dangerous: true)
        #expect(!dialog.focusOnConfirm)
        #expect(!dialog.canConfirm)
        dialog.typed = "se-sto-006"
        #expect(dialog.canConfirm)
    }
}
