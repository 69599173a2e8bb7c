/// A horizontal fill bar, e.g. `████████░░ 81%`.
public enum Gauge {
    /// A bar of `width` cells filled to `ratio` (0…1) followed by the percentage.
    public static func text(ratio: Double, width: Int) -> String {
        let clamped = max(0, min(1, ratio.isNaN ? 0 : ratio))
        let filled = Int((clamped * Double(width)).rounded(.down))
        let percent = Int((clamped * 100).rounded(.down))
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + " \(percent)%"
    }
}
