import MarqueeCore

/// Which style shows each status, so colour and word always agree.
enum StatusStyles {
    static func role(_ status: HostStatus) -> StyleRole {
        switch status {
        case .online: .statusOK
        case .degraded: .statusWarn
        case .offline, .revoked: .statusCritical
        case .pending, .cordoned, .upgrading: .statusPending
        }
    }

    static func role(_ health: SiteHealth) -> StyleRole {
        switch health {
        case .healthy: .statusOK
        case .degraded: .statusWarn
        case .down: .statusCritical
        case .unknown: .statusUnknown
        }
    }

    static func role(_ severity: Event.Severity) -> StyleRole {
        switch severity {
        case .info: .statusUnknown
        case .notice: .statusOK
        case .warning: .statusWarn
        case .critical: .statusCritical
        }
    }

    static func role(_ state: ContainerInstance.State) -> StyleRole {
        switch state {
        case .running: .statusOK
        case .created, .starting: .statusPending
        case .unhealthy: .statusWarn
        case .stopped, .failed: .statusCritical
        }
    }
}
