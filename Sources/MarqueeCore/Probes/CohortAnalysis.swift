import Foundation

/// A host's attributes that cohort analysis compares.
public struct HostCohortAttributes: Sendable, Equatable {
    public var hostID: String
    public var siteID: String
    public var country: String
    public var kernel: String
    /// `containerd 1.7.13`.
    public var runtime: String
    /// `Debian 12`.
    public var os: String
    public var agent: String

    public init(_ host: EdgeHost, country: String) {
        hostID = host.id
        siteID = host.siteID
        self.country = country
        kernel = host.kernelRelease
        runtime = "\(host.runtimeName) \(host.runtimeVersion)"
        os = "\(host.osName) \(host.osVersion)"
        agent = host.agentVersion
    }

    /// (attribute, value) pairs, single attributes and the runtime × kernel combination.
    var values: [(attribute: String, value: String)] {
        [
            ("runtime+kernel", "\(runtime) on \(kernel)"), ("kernel", kernel), ("runtime", runtime), ("os", os), ("agent", agent),
            ("country", country),
        ]
    }
}

/// One attribute value and how well it separates degraded theaters from healthy ones.
public struct CohortFinding: Codable, Sendable, Equatable {
    /// `runtime+kernel`, `kernel`, `runtime`, `os`, `agent` or `country`.
    public var attribute: String
    public var value: String
    /// Degraded theaters where a degraded host has the value, and all degraded theaters.
    public var degradedWith: Int
    public var degradedTotal: Int
    /// Healthy theaters where any host has the value, and all healthy theaters.
    public var healthyWith: Int
    public var healthyTotal: Int
    /// Share of degraded theaters with the value minus share of healthy ones (−1…1; higher separates better).
    public var score: Double
    /// A degraded host with the value.
    public var exampleHost: String?

    public init(
        attribute: String, value: String, degradedWith: Int, degradedTotal: Int, healthyWith: Int, healthyTotal: Int, score: Double,
        exampleHost: String?
    ) {
        self.attribute = attribute
        self.value = value
        self.degradedWith = degradedWith
        self.degradedTotal = degradedTotal
        self.healthyWith = healthyWith
        self.healthyTotal = healthyTotal
        self.score = score
        self.exampleHost = exampleHost
    }

    /// "39 of 41 degraded theaters run containerd 1.7.13 on 6.1.0-18-amd64; 2% of healthy ones do".
    public var sentence: String {
        let healthyShare = healthyTotal == 0 ? 0 : Double(healthyWith) / Double(healthyTotal) * 100
        return "\(degradedWith) of \(degradedTotal) degraded theaters have \(attribute) \(value); "
            + "\(String(format: healthyShare < 10 ? "%.1f" : "%.0f", healthyShare))% of healthy ones do"
    }
}

/// Ranks host attributes by how well they separate degraded theaters from healthy ones.
public enum CohortAnalysis {
    /// - Parameters:
    ///   - degradedHosts: hosts whose probes regressed.
    ///   - measuredHosts: every host with samples in the window (degraded or not).
    ///   - attributes: attributes of (at least) every measured host.
    /// - Returns: findings, best separating first; values no degraded theater has are left out.
    public static func rank(degradedHosts: Set<String>, measuredHosts: Set<String>, attributes: [HostCohortAttributes]) -> [CohortFinding] {
        let byHost = Dictionary(attributes.map { ($0.hostID, $0) }, uniquingKeysWith: { first, _ in first })
        let measured = measuredHosts.compactMap { byHost[$0] }
        let degradedSites = Set(degradedHosts.compactMap { byHost[$0]?.siteID })
        let healthySites = Set(measured.map(\.siteID)).subtracting(degradedSites)
        // Per (attribute, value): degraded theaters through their degraded hosts, healthy theaters through any host.
        struct Key: Hashable {
            var attribute: String
            var value: String
        }
        var degradedWith: [Key: Set<String>] = [:]
        var healthyWith: [Key: Set<String>] = [:]
        var example: [Key: String] = [:]
        for host in measured {
            let degraded = degradedHosts.contains(host.hostID)
            for (attribute, value) in host.values {
                let key = Key(attribute: attribute, value: value)
                if degraded {
                    degradedWith[key, default: []].insert(host.siteID)
                    if example[key] == nil || host.hostID < example[key]! { example[key] = host.hostID }
                } else if healthySites.contains(host.siteID) {
                    healthyWith[key, default: []].insert(host.siteID)
                }
            }
        }
        let findings = degradedWith.map { key, sites in
            let healthy = healthyWith[key]?.count ?? 0
            let score =
                Double(sites.count) / Double(max(1, degradedSites.count)) - Double(healthy) / Double(max(1, healthySites.count))
            return CohortFinding(
                attribute: key.attribute, value: key.value, degradedWith: sites.count, degradedTotal: degradedSites.count, healthyWith: healthy,
                healthyTotal: healthySites.count, score: score, exampleHost: example[key])
        }
        return findings.sorted { ($0.score, $1.attribute, $1.value) > ($1.score, $0.attribute, $0.value) }
    }
}
