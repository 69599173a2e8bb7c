import Foundation
import GRDB

/// A date as GRDB stores it (`yyyy-MM-dd HH:mm:ss.SSS`, UTC, to the nearest millisecond), written
/// without a `DateFormatter`.
///
/// GRDB formats every `Date` argument through ICU, about 2 µs a date; the tower's ingest binds one
/// for each container record, metrics record and cursor of every heartbeat, and that was 4.5 % of its
/// CPU under a steady fleet. The text is byte for byte GRDB's (a test compares them over a century of
/// random instants), so stored values compare and parse exactly as before.
public enum DatabaseTime {
    /// `date`'s stored text; GRDB's own formatting outside years 1900…9999 (ICU's calendar is Julian
    /// before 1582, and nothing here is that old).
    public static func text(_ date: Date) -> String {
        // As Foundation hands ICU the instant (milliseconds since 1970), rounded to the nearest
        // millisecond as ICU does it: halves up, also below zero.
        let milliseconds = ((date.timeIntervalSinceReferenceDate + 978_307_200) * 1_000 + 0.5).rounded(.down)
        guard milliseconds.isFinite, abs(milliseconds) < 2.5e14 else { return String.fromDatabaseValue(date.databaseValue) ?? "" }
        let total = Int64(milliseconds)
        let (days, remainder) = floorDivision(total, 86_400_000)
        let (year, month, day) = civil(days: days)
        guard (1_900...9_999).contains(year) else { return String.fromDatabaseValue(date.databaseValue) ?? "" }
        let millisecond = Int(remainder % 1_000)
        let second = Int(remainder / 1_000 % 60)
        let minute = Int(remainder / 60_000 % 60)
        let hour = Int(remainder / 3_600_000)
        return String(unsafeUninitializedCapacity: 23) { buffer in
            func put(_ value: Int, digits: Int, at offset: Int) {
                var value = value
                for index in stride(from: offset + digits - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(truncatingIfNeeded: 0x30 + value % 10)
                    value /= 10
                }
            }
            put(Int(year), digits: 4, at: 0)
            buffer[4] = 0x2D
            put(month, digits: 2, at: 5)
            buffer[7] = 0x2D
            put(day, digits: 2, at: 8)
            buffer[10] = 0x20
            put(hour, digits: 2, at: 11)
            buffer[13] = 0x3A
            put(minute, digits: 2, at: 14)
            buffer[16] = 0x3A
            put(second, digits: 2, at: 17)
            buffer[19] = 0x2E
            put(millisecond, digits: 3, at: 20)
            return 23
        }
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Proleptic Gregorian year, month and day of `days` since 1970-01-01 (H. Hinnant's algorithm).
    private static func civil(days: Int64) -> (Int64, Int, Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
