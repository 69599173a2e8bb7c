import Foundation
import Hummingbird
import MarqueeCore

extension SecurityController {
    /// `PUT /v1/tenants/{id}/quota` body.
    struct QuotaRequest: Decodable {
        var site: String?
        var cpu: Double?
        var memoryBytes: Int64?
        var storageBytes: Int64?
    }

    /// Per-tenant, per-site quotas.
    func addQuotaRoutes(to group: RouterGroup<TowerRequestContext>) {
        group.get("quotas") { request, context in
            try await handle {
                ListPayload(
                    kind: "QuotaList",
                    items: try await security.quotas(tenantID: request.uri.queryParameters.get("tenant"), by: try context.requirePrincipal()))
            }
        }
        group.put("tenants/{id}/quota") { request, context in
            try await handle {
                let body: QuotaRequest = try await StrictJSON.decode(
                    request, context: context, allowed: ["": ["site", "cpu", "memoryBytes", "storageBytes"]])
                return Payload(
                    try await security.setQuota(
                        tenantID: try context.parameters.require("id"), siteID: body.site, cpu: body.cpu, memoryBytes: body.memoryBytes,
                        storageBytes: body.storageBytes, by: try context.requirePrincipal()))
            }
        }
    }
}
