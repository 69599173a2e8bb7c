import Foundation

/// Silence is only evidence while the tower was listening.
///
/// The offline sweep turns a host offline after it missed its heartbeats, and two hosts of a theater
/// going silent together raise the theft alert. Both conclusions are wrong when the *tower* was the
/// one not hearing: it had just started (after an upgrade or a crash, every `lastSeen` is from before
/// the gap), its process was paused or starved of CPU, or heartbeats sat in its own queue. Then every
/// host looks silent at once, the event log floods with offline/online pairs, and a theater can page
/// the on-call engineer for a theft that never happened.
///
/// So the sweep asks this window first. It opens when the tower starts and reopens whenever the tower
/// notices it was deaf long enough to make an on-time host look silent — a sweep that woke late by a
/// whole silence less one interval (the heartbeat jitter), or a heartbeat that waited that long in the
/// tower's queue — and hosts are judged only once the tower has listened for a whole silence
/// (`missedHeartbeats` intervals) since: each host then had its full chance to be heard. Shorter
/// stalls only delay heartbeats, which are applied when the tower catches up.
public struct ListeningWindow: Sendable {
    /// How often the sweep runs (the heartbeat interval).
    public let interval: TimeInterval
    /// How long a host must be silent to go offline.
    public let silence: TimeInterval
    /// Since when the tower has been listening without a gap; `nil` before the first sweep.
    public private(set) var listeningSince: Date?
    private var previousSweep: Date?

    public init(interval: TimeInterval, silence: TimeInterval) {
        self.interval = interval
        self.silence = silence
    }

    /// The longest stall that cannot make a host that heartbeats on time look silent: a silence
    /// less one interval of jitter (at least one interval).
    public var tolerance: TimeInterval { max(interval, silence - interval) }

    /// Why a sweep did not judge the hosts.
    public enum Deafness: Equatable, Sendable {
        /// The tower started listening this long ago, less than a whole silence.
        case justStarted
        /// The sweep woke this many seconds after it was due.
        case sweepLate(seconds: TimeInterval)
        /// A heartbeat has waited this many seconds in the tower's own queue.
        case heartbeatsQueued(seconds: TimeInterval)
        /// The tower was deaf recently and has not yet listened for a whole silence.
        case recovering(until: Date)
    }

    /// Records a sweep at `time` and says whether it may turn silent hosts offline: `nil` when it
    /// may, else why not.
    ///
    /// - Parameter queuedFor: how long the oldest heartbeat not yet applied has waited, if any.
    public mutating func judge(at time: Date, queuedFor: TimeInterval? = nil) -> Deafness? {
        defer { previousSweep = time }
        guard let since = listeningSince, let previous = previousSweep else {
            listeningSince = time
            return .justStarted
        }
        let late = time.timeIntervalSince(previous) - interval
        if late > tolerance {
            listeningSince = time
            return .sweepLate(seconds: late)
        }
        if let queuedFor, queuedFor > tolerance {
            listeningSince = time
            return .heartbeatsQueued(seconds: queuedFor)
        }
        let opensAt = since.addingTimeInterval(silence)
        return time < opensAt ? .recovering(until: opensAt) : nil
    }
}
