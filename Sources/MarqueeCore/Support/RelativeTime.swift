import Foundation

/// Short "how long ago" text for tables: `12s ago`, `5m ago`, `3h ago`, `4d ago`, `never`.
public enum RelativeTime {
    /// Describes `date` relative to `now`; a date in the future reads `in 5m`.
    public static func describe(_ date: Date?, now: Date) -> String {
        guard let date else { return "never" }
        let seconds = Int(now.timeIntervalSince(date).rounded())
        let magnitude = abs(seconds)
        let text: String
        switch magnitude {
        case ..<60: text = "\(magnitude)s"
        case ..<3_600: text = "\(magnitude / 60)m"
        case ..<86_400: text = "\(magnitude / 3_600)h"
        default: text = "\(magnitude / 86_400)d"
        }
        return seconds >= 0 ? "\(text) ago" : "in \(text)"
    }
}
