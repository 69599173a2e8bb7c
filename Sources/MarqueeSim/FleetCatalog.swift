import MarqueeCore

/// Tenants and applications of the theater chain.
public enum FleetCatalog {
    /// The chain's platform team: owns sites and hosts, ships in-house apps.
    public static let platformTenant = Tenant(id: "mtc-platform", name: "Marquee Theaters Platform", kind: .siteProvider)
    /// The third-party video-analytics vendor.
    public static let vendorTenant = Tenant(id: "visionary-analytics", name: "Visionary Analytics", kind: .applicationOwner)

    /// Every application, with the services each runs per site: (service, replicas per site).
    public static let applications: [(Application, [(String, Int)])] = [
        (Application(name: "kiosk-ticketing", version: "5.12.0", tenantID: platformTenant.id), [("api", 2), ("printer-bridge", 1)]),
        (Application(name: "people-counter", version: "2.4.1", tenantID: platformTenant.id), [("counter", 1)]),
        (Application(name: "hvac-monitor", version: "1.8.3", tenantID: platformTenant.id), [("monitor", 1)]),
        (Application(name: "alarm-monitor", version: "1.2.0", tenantID: platformTenant.id), [("monitor", 1)]),
        (Application(name: "digital-signage", version: "3.0.2", tenantID: platformTenant.id), [("player", 1)]),
        (Application(name: "projection-drm-agent", version: "4.1.7", tenantID: platformTenant.id), [("agent", 1)]),
        (Application(name: "vision-analytics", version: "7.3.0", tenantID: vendorTenant.id), [("inference", 1)]),
    ]

    /// The spec of each version the generated fleet runs: one container per service, modest resources
    /// (the vendor's inference needs real ones), so rollouts can revert to these versions.
    public static var applicationSpecs: [ApplicationSpec] {
        applications.map { application, services in
            let heavy = application.tenantID == vendorTenant.id
            var spec = ApplicationSpec(
                name: application.name, version: application.version, tenant: application.tenantID,
                services: services.map { service, replicas in
                    ServiceSpec(
                        name: service, replicas: replicas,
                        containers: [
                            ContainerSpec(
                                name: service, image: "registry.marquee.example/\(application.tenantID)/\(application.name):\(application.version)",
                                resources: heavy
                                    ? ResourceRequest(cpu: 2, memoryBytes: 2 << 30, storageBytes: 6 << 30)
                                    : ResourceRequest(cpu: 0.25, memoryBytes: 256 << 20, storageBytes: 1 << 30))
                        ])
                }, source: "marquee fleet generate")
            // The vendor's camera inference is what a lockdown must stop at once.
            spec.sensitive = heavy
            return spec
        }
    }

    /// Words that, after the city name, make a theater's display name.
    static let venueNames = [
        "Central", "Plaza", "Riverside", "Galleria", "Harbour", "Station", "Park", "Square", "Gate", "Village",
        "Arena", "North", "South", "East", "West", "Old Town", "Waterfront", "Forum", "Gardens", "Boulevard",
    ]
}
