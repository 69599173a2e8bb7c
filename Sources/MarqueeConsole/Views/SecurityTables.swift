import Foundation
import MarqueeCore

/// The Security view's table: the audit trail, newest first.
enum SecurityTables {
    static func audit(_ overview: SecurityOverview?) -> TableModel {
        let columns = [
            TableColumn("SEQ", alignRight: true, sortKey: "Q", priority: 1, numeric: true),
            TableColumn("TIME", sortKey: "T", priority: 0, maxWidth: 19),
            TableColumn("ACTION", sortKey: "A", priority: 0, maxWidth: 28),
            TableColumn("TARGET", sortKey: "G", priority: 0, maxWidth: 32),
            TableColumn("ACTOR", sortKey: "R", priority: 1, maxWidth: 40),
            TableColumn("REASON", sortKey: "N", priority: 2, maxWidth: 60),
        ]
        let formatter = ISO8601DateFormatter()
        let rows = (overview?.audit ?? []).map { record -> TableRow in
            let time = formatter.string(from: Date(timeIntervalSince1970: Double(record.timeMillis) / 1_000)).replacingOccurrences(of: "T", with: " ")
            let denied = record.action.hasPrefix("denied ")
            let critical = ["site.lockdown", "site.unlock", "host.revoke"].contains(record.action)
            return TableRow(
                id: "audit/\(record.sequence)",
                cells: [String(record.sequence), String(time.dropLast()), record.action, record.target, record.actor, record.reason ?? ""],
                styles: [nil, nil, denied ? .statusCritical : critical ? .statusWarn : nil, nil, nil, nil])
        }
        return TableModel(columns: columns, rows: rows)
    }

    /// One row per quota (and per tenant without one): limits, what is used where it applies, and
    /// how close that is to the limit.
    static func tenants(_ overview: SecurityOverview?) -> TableModel {
        let columns = [
            TableColumn("TENANT", sortKey: "N", priority: 0, maxWidth: 28),
            TableColumn("KIND", sortKey: "K", priority: 2, maxWidth: 18),
            TableColumn("WHERE", sortKey: "W", priority: 1, maxWidth: 22),
            TableColumn("CPU USED/LIMIT", alignRight: true, sortKey: "C", priority: 0, maxWidth: 16),
            TableColumn("MEMORY USED/LIMIT", alignRight: true, sortKey: "M", priority: 0, maxWidth: 22),
            TableColumn("STORAGE USED/LIMIT", alignRight: true, sortKey: "S", priority: 1, maxWidth: 22),
            TableColumn("USE", alignRight: true, sortKey: "U", priority: 0, maxWidth: 6, numeric: true),
            TableColumn("BUSIEST SITE", sortKey: "B", priority: 1, maxWidth: 16),
        ]
        guard let overview else { return TableModel(columns: columns, rows: []) }
        var rows: [TableRow] = []
        for tenant in overview.tenants {
            let quotas = overview.quotas.filter { $0.tenantID == tenant.id }
            if quotas.isEmpty {
                rows.append(
                    TableRow(
                        id: "tenant/\(tenant.id)", cells: [tenant.id, tenant.kind.rawValue, "no quota", "", "", "", "", ""],
                        sortValues: [
                            .text(tenant.id), .text(tenant.kind.rawValue), .text(""), .number(0), .number(0), .number(0), .number(-1), .text(""),
                        ]))
            }
            for quota in quotas {
                let usage = quota.usage
                let share = usage?.utilisation ?? 0
                let cells = [
                    tenant.id, tenant.kind.rawValue, quota.siteID ?? "each site",
                    pair(usage.map { TenantQuota.cores($0.cpu) }, quota.cpu.map(TenantQuota.cores)),
                    pair(usage.map { TenantQuota.size($0.memoryBytes) }, quota.memoryBytes.map(TenantQuota.size)),
                    pair(usage.map { TenantQuota.size($0.storageBytes) }, quota.storageBytes.map(TenantQuota.size)),
                    "\(Int((share * 100).rounded()))%", usage?.siteID ?? "nothing placed",
                ]
                let style: StyleRole? = share > 1 + 1e-9 ? .statusCritical : share >= 0.9 ? .statusWarn : nil
                rows.append(
                    TableRow(
                        id: "quota/\(tenant.id)/\(quota.siteID ?? "*")", cells: cells,
                        styles: [nil, nil, nil, nil, nil, nil, style, nil],
                        sortValues: [
                            .text(tenant.id), .text(tenant.kind.rawValue), .text(quota.siteID ?? ""), .number(usage?.cpu ?? 0),
                            .number(Double(usage?.memoryBytes ?? 0)), .number(Double(usage?.storageBytes ?? 0)), .number(share),
                            .text(usage?.siteID ?? ""),
                        ]))
            }
        }
        return TableModel(columns: columns, rows: rows)
    }

    /// `1.5 / 2` — or `— / 2` with nothing placed, `1.5 / —` where the quota sets no limit.
    private static func pair(_ used: String?, _ limit: String?) -> String {
        "\(used ?? "—") / \(limit ?? "—")"
    }
}
