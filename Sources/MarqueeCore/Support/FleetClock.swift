import Foundation

/// The time source engines, agents and the simulator share.
///
/// Engines read ``now()`` and wait with ``sleep(for:)`` instead of calling `Date()` or
/// `Task.sleep` themselves, so tests drive them with a virtual clock and `marquee demo --speed N`
/// runs the whole fleet N× faster.
public protocol FleetClock: Sendable {
    func now() -> Date
    func sleep(for duration: Duration) async throws
}

/// Wall-clock time.
public struct SystemClock: FleetClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// Wall-clock time running `speed` times faster from the moment it was made.
///
/// `now()` starts at the real time and advances `speed` seconds per real second; `sleep(for: d)`
/// waits `d / speed` of real time. Everything that shares one `ScaledClock` agrees on the time.
public struct ScaledClock: FleetClock {
    public let speed: Double
    private let origin: Date
    private let start: ContinuousClock.Instant

    /// - Parameter speed: how many virtual seconds pass per real second (at least 1).
    public init(speed: Double, origin: Date = Date()) {
        self.speed = max(1, speed)
        self.origin = origin
        self.start = .now
    }

    public func now() -> Date {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return origin.addingTimeInterval(seconds * speed)
    }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration / speed)
    }
}
