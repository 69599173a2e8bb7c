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

/// Short durations for messages: `45s`, `5m`, `1h30m`, `2d4h`.
public enum RelativeDuration {
    public static func format(_ interval: TimeInterval) -> String {
        let seconds = max(0, Int(interval.rounded()))
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3_600: return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(seconds % 60)s"
        case ..<86_400: return seconds % 3_600 / 60 == 0 ? "\(seconds / 3_600)h" : "\(seconds / 3_600)h\(seconds % 3_600 / 60)m"
        default: return seconds % 86_400 / 3_600 == 0 ? "\(seconds / 86_400)d" : "\(seconds / 86_400)d\(seconds % 86_400 / 3_600)h"
        }
    }
}
