import GRDB
import MarqueeCore

/// Watches every service of every theater during a fleet-wide operation: a service that had a
/// running instance when the watch began must never be seen with none.
struct AvailabilityWatch {
    private var watched: Set<String> = []
    /// Checks made, and services seen at zero running (each `tick: site/app/service`, in order).
    private(set) var checks = 0
    private(set) var violations: [String] = []

    private static let sql = """
        SELECT h.siteID AS site, c.app AS app, c.service AS service, SUM(c.state = 'running') AS running
        FROM containerInstance c JOIN host h ON h.id = c.hostID GROUP BY h.siteID, c.app, c.service
        """

    /// Starts watching the services that run now.
    init(_ db: Database) throws {
        for row in try Row.fetchAll(db, sql: Self.sql) where (row["running"] as Int) > 0 {
            watched.insert("\(row["site"] as String)/\(row["app"] as String)/\(row["service"] as String)")
        }
    }

    /// Services watched.
    var services: Int { watched.count }

    /// One look at the fleet; a watched service with no running instance (or no instance at all) is a violation.
    mutating func check(_ db: Database, label: String) throws {
        checks += 1
        var running: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: Self.sql) {
            running["\(row["site"] as String)/\(row["app"] as String)/\(row["service"] as String)"] = row["running"]
        }
        for service in watched.sorted() where running[service, default: 0] == 0 {
            violations.append("\(label): \(service)")
        }
    }
}
