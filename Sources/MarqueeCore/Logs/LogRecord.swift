import Foundation

/// Which layer of the stack a log line comes from.
public enum LogLayer: String, Codable, Sendable, CaseIterable, Comparable {
    /// An application container's stdout/stderr.
    case app
    /// The container runtime (containerd, podman, the process driver).
    case runtime
    /// The operating system: the journal, syslog.
    case os
    /// The kernel ring buffer.
    case kernel
    /// The Marquee agent itself.
    case agent

    public static func < (lhs: LogLayer, rhs: LogLayer) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Whether only site-provider roles may read it (runtime, OS and kernel logs describe the host).
    public var isInfrastructure: Bool { self != .app }
}

/// Syslog-style severity, most severe last.
public enum LogSeverity: String, Codable, Sendable, CaseIterable, Comparable {
    case debug, info, notice, warning, error, critical

    public static func < (lhs: LogSeverity, rhs: LogSeverity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// From a syslog priority's severity (0 emergency … 7 debug).
    public init(syslog level: Int) {
        switch level {
        case ...2: self = .critical
        case 3: self = .error
        case 4: self = .warning
        case 5: self = .notice
        case 6: self = .info
        default: self = .debug
        }
    }
}

/// One log line as an agent reports it (the time travels in the ``ReportRecord``).
///
/// The host, site, kernel and runtime are not carried: the tower takes them from the reporting
/// host's credential and facts, so an agent cannot file lines under another host.
public struct LogEntry: Codable, Sendable, Equatable {
    public var severity: LogSeverity
    public var layer: LogLayer
    /// Where it was read: `stdout`, `stderr`, `kmsg`, `journal`, `syslog`, `containerd`, …
    public var source: String
    public var message: String
    /// The container instance id, for app lines and runtime lines about one container.
    public var container: String?
    /// The runtime's id for the container's running instance (a pid for the process driver).
    public var runtimeInstance: String?

    public init(
        severity: LogSeverity, layer: LogLayer, source: String, message: String, container: String? = nil, runtimeInstance: String? = nil
    ) {
        self.severity = severity
        self.layer = layer
        self.source = source
        self.message = message
        self.container = container
        self.runtimeInstance = runtimeInstance
    }
}

/// A stored log line with every reference the tower could attach.
public struct LogLine: Codable, Sendable, Equatable, Identifiable {
    public var id: Int64
    public var time: Date
    public var severity: LogSeverity
    public var layer: LogLayer
    public var source: String
    public var message: String
    public var siteID: String
    public var hostID: String
    public var container: String?
    public var runtimeInstance: String?
    /// The owning tenant of the container's application (nil for host lines).
    public var tenant: String?
    public var app: String?
    public var service: String?
    /// The host's kernel release and runtime (`containerd 1.7.13`) when the line was ingested.
    public var kernel: String
    public var runtime: String

    public init(
        id: Int64, time: Date, severity: LogSeverity, layer: LogLayer, source: String, message: String, siteID: String, hostID: String,
        container: String? = nil, runtimeInstance: String? = nil, tenant: String? = nil, app: String? = nil, service: String? = nil,
        kernel: String, runtime: String
    ) {
        self.id = id
        self.time = time
        self.severity = severity
        self.layer = layer
        self.source = source
        self.message = message
        self.siteID = siteID
        self.hostID = hostID
        self.container = container
        self.runtimeInstance = runtimeInstance
        self.tenant = tenant
        self.app = app
        self.service = service
        self.kernel = kernel
        self.runtime = runtime
    }
}
