import Foundation
import MarqueeCore
import Synchronization

/// A clock tests move by hand: engines read ``now()``; tests call ``advance(by:)`` instead of sleeping.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Fixtures.now) {
        current = Mutex(start)
    }

    /// The current virtual time.
    @Sendable public func now() -> Date {
        current.withLock { $0 }
    }

    /// Moves time forward.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

extension ManualClock: FleetClock {
    /// Virtual sleeps end at once (after a yield); tests move time with ``advance(by:)``.
    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        await Task.yield()
    }
}
