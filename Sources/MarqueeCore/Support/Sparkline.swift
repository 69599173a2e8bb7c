/// Eight-level block sparklines (`▁▂▃▄▅▆▇█`) for terminal tables.
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One character per value, scaled between the smallest and largest; a missing value is a space.
    /// A series that stays within 10 % of its minimum is drawn flat and low, so noise does not
    /// look like a spike.
    public static func render(_ values: [Double?]) -> String {
        let present = values.compactMap { $0 }
        guard let low = present.min(), let high = present.max() else { return String(repeating: " ", count: values.count) }
        let flat = high <= low * 1.1
        return String(
            values.map { value -> Character in
                guard let value else { return " " }
                if flat { return blocks[1] }
                let level = Int(((value - low) / (high - low) * Double(blocks.count - 1)).rounded())
                return blocks[Swift.max(0, Swift.min(blocks.count - 1, level))]
            })
    }

    /// The last `width` values scaled between the series' minimum and maximum (or `0…maximum`).
    public static func text(_ values: [Double], width: Int, maximum: Double? = nil) -> String {
        let shown = values.suffix(width)
        guard !shown.isEmpty else { return "" }
        let top = maximum ?? shown.max() ?? 1
        let bottom = maximum == nil ? (shown.min() ?? 0) : 0
        let span = top - bottom
        return String(
            shown.map { value in
                guard span > 0 else { return blocks[0] }
                let level = Int(((value - bottom) / span * Double(blocks.count - 1)).rounded())
                return blocks[max(0, min(blocks.count - 1, level))]
            })
    }
}
