import Foundation
import MarqueeCore
import MarqueeSim

/// Shared fleets and dates for tests.
public enum Fixtures {
    /// A fixed "now": 2026-11-28 (a Saturday) 02:00 UTC.
    public static let now = Date(timeIntervalSince1970: 1_795_831_200)

    /// A generated fleet; deterministic for a given size and seed.
    public static func fleet(theaters: Int = 750, seed: UInt64 = 1) -> FleetSnapshot {
        // Valid options by construction.
        (try? FleetGenerator(.init(theaters: theaters, seed: seed, now: now)))!.generate()
    }

    /// A migrated in-memory store holding `fleet`.
    public static func store(with fleet: FleetSnapshot) async throws -> SQLiteFleetStore {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        try await store.replaceFleet(with: fleet)
        return store
    }
}
