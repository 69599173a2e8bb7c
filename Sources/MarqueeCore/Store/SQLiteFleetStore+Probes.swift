import Foundation
import GRDB

extension SQLiteFleetStore {
    /// Merges `accumulator` into the stored series, in the caller's transaction.
    ///
    /// A stored sketch that cannot be decoded (a damaged row) is replaced by the new data rather
    /// than failing the ingest that carries it.
    static func merge(_ accumulator: ProbeAccumulator, db: Database) throws {
        guard !accumulator.isEmpty else { return }
        let select = try db.cachedStatement(
            sql: "SELECT errors, sketch FROM probeSeries WHERE app = ? AND scope = ? AND resolution = ? AND key = ? AND bucket = ?")
        let save = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO probeSeries (app, scope, key, resolution, bucket, count, errors, sketch) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for (key, entry) in accumulator.entries {
            var sketch = entry.sketch
            var errors = entry.errors
            let arguments: StatementArguments = [key.app, key.scope.kind, key.resolution.rawValue, key.scope.key, key.bucket]
            if let row = try Row.fetchOne(select, arguments: arguments), let stored = try? LatencySketch(decoding: row["sketch"] as Data) {
                sketch.merge(stored)
                errors += row["errors"] as Int64
            }
            try save.execute(
                arguments: [
                    key.app, key.scope.kind, key.scope.key, key.resolution.rawValue, key.bucket, Int64(sketch.count), errors,
                    Data(sketch.encoded()),
                ])
        }
    }

    /// Stores a bulk of samples or backfilled sketches in one transaction.
    public func recordProbes(_ accumulator: ProbeAccumulator) async throws {
        try await write { db in try Self.merge(accumulator, db: db) }
    }

    /// Deletes buckets past their resolution's retention; returns how many rows went.
    @discardableResult
    public func compactProbes(now: Date) async throws -> Int {
        try await write { db in
            var deleted = 0
            for resolution in ProbeResolution.allCases {
                let cutoff = resolution.bucket(of: now.addingTimeInterval(-resolution.retention))
                try db.execute(sql: "DELETE FROM probeSeries WHERE resolution = ? AND bucket < ?", arguments: [resolution.rawValue, cutoff])
                deleted += db.changesCount
            }
            return deleted
        }
    }

    /// A percentile series; `now` decides whether minute buckets still cover the range.
    public func probeSeries(_ query: ProbeSeriesQuery, now: Date) async throws -> ProbeSeries {
        let resolution = query.resolution(now: now)
        let step = query.effectiveStep(resolution: resolution)
        return try await read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT bucket, errors, sketch FROM probeSeries
                    WHERE app = ? AND scope = ? AND resolution = ? AND key = ? AND bucket >= ? AND bucket < ? ORDER BY bucket
                    """,
                arguments: [
                    query.app, query.scope.kind, resolution.rawValue, query.scope.key, resolution.bucket(of: query.since),
                    Int64(query.until.timeIntervalSince1970.rounded(.up)),
                ])
            let origin = resolution.bucket(of: query.since)
            var steps: [Int64: (LatencySketch, Int64)] = [:]
            while let row = try rows.next() {
                let bucket: Int64 = row["bucket"]
                guard let sketch = try? LatencySketch(decoding: row["sketch"] as Data) else { continue }
                let start = origin + (bucket - origin) / Int64(step) * Int64(step)
                steps[start, default: (LatencySketch(), 0)].0.merge(sketch)
                steps[start, default: (LatencySketch(), 0)].1 += row["errors"] as Int64
            }
            // The whole range from the steps: one merge per step, not per bucket.
            let total = LatencySketch.merged(steps.values.map(\.0))
            let totalErrors = steps.values.reduce(0) { $0 + $1.1 }
            let points = steps.keys.sorted().map { start in
                ProbePoint(time: Date(timeIntervalSince1970: TimeInterval(start)), sketch: steps[start]!.0, errors: steps[start]!.1)
            }
            return ProbeSeries(
                app: query.app, scope: query.scope, step: step, resolution: resolution, points: points,
                total: ProbePoint(time: query.since, sketch: total, errors: totalErrors))
        }
    }

    /// p95 per key and step for `app` at one scope kind (only `keys` when given), over `since..<until`.
    public func probeGrid(app: String, scopeKind: String, keys: [String]?, since: Date, until: Date, step: Int?, now: Date) async throws
        -> ProbeGrid
    {
        let query = ProbeSeriesQuery(app: app, since: since, until: until, step: step)
        let resolution = query.resolution(now: now)
        let step = Int64(query.effectiveStep(resolution: resolution))
        let origin = resolution.bucket(of: since)
        let end = Int64(until.timeIntervalSince1970.rounded(.up))
        let times = stride(from: origin, to: end, by: Int(step)).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        return try await read { db in
            var sql =
                "SELECT key, bucket, errors, sketch FROM probeSeries WHERE app = ? AND scope = ? AND resolution = ? AND bucket >= ? AND bucket < ?"
            var arguments: StatementArguments = [app, scopeKind, resolution.rawValue, origin, end]
            if let keys {
                guard !keys.isEmpty else {
                    return ProbeGrid(app: app, scopeKind: scopeKind, step: Int(step), resolution: resolution, times: times, rows: [])
                }
                sql += " AND key IN (\(databaseQuestionMarks(count: keys.count)))"
                arguments += StatementArguments(keys)
            }
            var cells: [String: [Int: (LatencySketch, Int64)]] = [:]
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                guard let sketch = try? LatencySketch(decoding: row["sketch"] as Data) else { continue }
                let index = Int((row["bucket"] as Int64 - origin) / step)
                guard index < times.count else { continue }
                cells[row["key"], default: [:]][index, default: (LatencySketch(), 0)].0.merge(sketch)
                cells[row["key"], default: [:]][index, default: (LatencySketch(), 0)].1 += row["errors"] as Int64
            }
            let gridRows = cells.map { key, steps in
                let total = LatencySketch.merged(steps.values.map(\.0))
                return ProbeGrid.Row(
                    key: key, p95: times.indices.map { steps[$0]?.0.quantile(0.95) }, counts: times.indices.map { Int64(steps[$0]?.0.count ?? 0) },
                    total: ProbePoint(time: since, sketch: total, errors: steps.values.reduce(0) { $0 + $1.1 }))
            }
            return ProbeGrid(
                app: app, scopeKind: scopeKind, step: Int(step), resolution: resolution, times: times,
                rows: gridRows.sorted { ($0.total.p95 ?? 0, $1.key) > ($1.total.p95 ?? 0, $0.key) })
        }
    }

    /// Samples a site needs over the range before its p95 ranks it among the worst.
    static let minimumSamplesForRanking: Int64 = 10

    /// Per (app, site): figures over `since..<until`, worst p95 first (sites with fewer than
    /// ``minimumSamplesForRanking`` samples after the rest). Ranges past six hours read hour buckets.
    public func probeWorstSites(app: String?, since: Date, until: Date, limit: Int, now: Date) async throws -> [ProbeSiteSummary] {
        // Ranges past six hours read hour buckets: a day of every theater's minutes is a million rows.
        let resolution =
            until.timeIntervalSince(since) > 6 * 3_600 ? .hour : ProbeSeriesQuery(app: app ?? "", since: since, until: until).resolution(now: now)
        return try await read { db in
            var sql = "SELECT app, key, errors, sketch FROM probeSeries WHERE scope = 'site' AND resolution = ? AND bucket >= ? AND bucket < ?"
            var arguments: StatementArguments = [resolution.rawValue, resolution.bucket(of: since), Int64(until.timeIntervalSince1970.rounded(.up))]
            if let app {
                sql += " AND app = ?"
                arguments += [app]
            }
            var merged: [String: [String: (LatencySketch, Int64)]] = [:]
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                guard let sketch = try? LatencySketch(decoding: row["sketch"] as Data) else { continue }
                let app: String = row["app"]
                let site: String = row["key"]
                merged[app, default: [:]][site, default: (LatencySketch(), 0)].0.merge(sketch)
                merged[app, default: [:]][site, default: (LatencySketch(), 0)].1 += row["errors"] as Int64
            }
            var summaries: [ProbeSiteSummary] = []
            for (app, sites) in merged {
                for (site, (sketch, errors)) in sites {
                    summaries.append(ProbeSiteSummary(app: app, siteID: site, figures: ProbePoint(time: since, sketch: sketch, errors: errors)))
                }
            }
            // A site with a handful of samples ranks after those with enough to trust its p95.
            let trusted = Self.minimumSamplesForRanking
            summaries.sort {
                ($0.figures.count >= trusted ? 1 : 0, $0.figures.p95 ?? 0, $1.siteID) > (
                    $1.figures.count >= trusted ? 1 : 0, $1.figures.p95 ?? 0, $0.siteID
                )
            }
            return Array(summaries.prefix(limit))
        }
    }

    /// Each key's merged figures for `app` at one scope kind (e.g. every host) over `since..<until`.
    public func probeFigures(app: String, scopeKind: String, resolution: ProbeResolution, since: Date, until: Date) async throws -> [String:
        ProbeDegradation.Figures]
    {
        try await read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT key, errors, sketch FROM probeSeries WHERE app = ? AND scope = ? AND resolution = ? AND bucket >= ? AND bucket < ?",
                arguments: [app, scopeKind, resolution.rawValue, resolution.bucket(of: since), Int64(until.timeIntervalSince1970.rounded(.up))])
            var figures: [String: ProbeDegradation.Figures] = [:]
            while let row = try rows.next() {
                guard let sketch = try? LatencySketch(decoding: row["sketch"] as Data) else { continue }
                let key: String = row["key"]
                figures[key, default: (LatencySketch(), 0)].sketch.merge(sketch)
                figures[key, default: (LatencySketch(), 0)].errors += row["errors"] as Int64
            }
            return figures
        }
    }

    /// Applications with host samples since `since`.
    public func probeApps(since: Date) async throws -> [String] {
        try await read { db in
            try String.fetchAll(
                db, sql: "SELECT DISTINCT app FROM probeSeries WHERE scope = 'fleet' AND resolution = 60 AND bucket >= ? ORDER BY app",
                arguments: [ProbeResolution.minute.bucket(of: since)])
        }
    }

    /// Every host's cohort attributes (with its site's country).
    public func hostCohortAttributes() async throws -> [HostCohortAttributes] {
        try await read { db in
            var countries: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, country FROM site") { countries[row["id"]] = row["country"] }
            return try EdgeHost.fetchAll(db).map { HostCohortAttributes($0, country: countries[$0.siteID] ?? "") }
        }
    }

    /// One of `app`'s containers on each of `hostIDs` (`app` may be a check's series, `APP:CHECK`).
    public func containers(of series: String, onHosts hostIDs: [String]) async throws -> [String: String] {
        let app = String(series.prefix { $0 != ":" })
        guard !hostIDs.isEmpty else { return [:] }
        return try await read { db in
            var result: [String: String] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql:
                    "SELECT hostID, MIN(id) AS id FROM containerInstance WHERE app = ? AND hostID IN (\(databaseQuestionMarks(count: hostIDs.count))) GROUP BY hostID",
                arguments: StatementArguments([app] + hostIDs))
            while let row = try rows.next() { result[row["hostID"]] = row["id"] }
            return result
        }
    }
}
