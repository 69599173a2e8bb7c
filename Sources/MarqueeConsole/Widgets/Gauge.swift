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

/// A one-line chart of a series using block characters `▁▂▃▄▅▆▇█`.
public enum Sparkline {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values scaled between the series' minimum and maximum (or `0…maximum`).
    public static func text(_ values: [Double], width: Int, maximum: Double? = nil) -> String {
        let shown = values.suffix(width)
        guard !shown.isEmpty else { return "" }
        let top = maximum ?? shown.max() ?? 1
        let bottom = maximum == nil ? (shown.min() ?? 0) : 0
        let span = top - bottom
        return String(
            shown.map { value in
                guard span > 0 else { return levels[0] }
                let level = Int(((value - bottom) / span * Double(levels.count - 1)).rounded())
                return levels[max(0, min(levels.count - 1, level))]
            })
    }
}
