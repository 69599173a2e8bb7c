import Foundation
import Synchronization

/// Heartbeat times not yet written to `host.lastSeen`.
///
/// A heartbeat that changes nothing but the time (same status, same facts) records its time here
/// instead of rewriting its host's row. The heartbeats' group commit writes every recorded time in
/// one go once ``interval`` has passed on the heartbeat clock, and the offline sweep writes them
/// all before it reads. A status change is written at once. So a busy tower rewrites each host row
/// at most once a second instead of once per heartbeat, and nothing that judges hosts by their last
/// heartbeat sees a time older than ``interval`` — liveness is state, as in Consul's and Nomad's
/// heartbeat timers, not history.
///
/// Only `lastSeen` waits here: report cursors and reports stay in the heartbeat's own durable
/// commit, so exactly-once ingest is unchanged. A crash loses at most ``interval`` of `lastSeen`;
/// the host's next heartbeat writes it again.
final class LastSeenBuffer: Sendable {
    /// How often the heartbeats' commit writes the recorded times, on the heartbeat clock.
    static let interval: TimeInterval = 1

    private struct State {
        var pending: [String: String] = [:]
        var writtenAt: Date?
    }

    private let state = Mutex(State())

    /// Records `seen` (database time text) as the host's last heartbeat.
    func record(_ hostID: String, seen: String) {
        state.withLock { $0.pending[hostID] = seen }
    }

    /// Drops the host's recorded time: its row was just written with a newer one.
    func forget(_ hostID: String) {
        state.withLock { _ = $0.pending.removeValue(forKey: hostID) }
    }

    /// The recorded times, emptied, when ``interval`` has passed since they were last taken at
    /// `time` (or the clock went back), or always when `force`; else nothing.
    func take(at time: Date, force: Bool = false) -> [String: String] {
        state.withLock { state in
            if !force, let last = state.writtenAt, time >= last, time.timeIntervalSince(last) < Self.interval { return [:] }
            state.writtenAt = time
            let taken = state.pending
            state.pending = [:]
            return taken
        }
    }
}
