/// The application and deployment specs read from a set of files.
public struct SpecSet: Codable, Sendable, Equatable {
    public var applications: [ApplicationSpec]
    public var deployments: [DeploymentSpec]

    public init(applications: [ApplicationSpec] = [], deployments: [DeploymentSpec] = []) {
        self.applications = applications
        self.deployments = deployments
    }

    public mutating func append(contentsOf other: SpecSet) {
        applications += other.applications
        deployments += other.deployments
    }

    /// The application spec of `name` at `version`, if the set holds it.
    public func application(_ name: String, version: String) -> ApplicationSpec? {
        applications.first { $0.name == name && $0.version == version }
    }

    /// The newest version of `name` in the set (by semantic-version order).
    public func latestApplication(_ name: String) -> ApplicationSpec? {
        applications.filter { $0.name == name }.max { SemanticVersion.less($0.version, $1.version) }
    }
}

/// Orders `1.10.0` after `1.9.2`: numeric parts compare as numbers, the rest as text.
public enum SemanticVersion {
    public static func less(_ a: String, _ b: String) -> Bool {
        let left = a.split(whereSeparator: { $0 == "." || $0 == "-" })
        let right = b.split(whereSeparator: { $0 == "." || $0 == "-" })
        for (x, y) in zip(left, right) where x != y {
            if let i = Int(x), let j = Int(y) { return i < j }
            return x < y
        }
        return left.count < right.count
    }
}
