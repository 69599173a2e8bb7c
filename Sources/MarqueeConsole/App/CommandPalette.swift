import Foundation
import MarqueeCore

/// The `:` commands: what they mean and what to suggest while typing.
enum CommandPalette {
    struct Entry {
        var names: [String]
        var argument: String?
        var help: String
    }

    static let entries: [Entry] = [
        Entry(names: ["countries", "co"], argument: nil, help: "countries, worst first"),
        Entry(names: ["sites", "theaters", "th"], argument: "[CC]", help: "theaters, optionally in one country"),
        Entry(names: ["site"], argument: "ID", help: "open a theater"),
        Entry(names: ["country"], argument: "CC", help: "theaters in a country"),
        Entry(names: ["hosts", "ho"], argument: "[pending]", help: "every host, or those waiting for approval"),
        Entry(names: ["host"], argument: "ID", help: "open a host"),
        Entry(names: ["events", "ev"], argument: nil, help: "the event stream"),
        Entry(names: ["apps"], argument: nil, help: "applications and their versions"),
        Entry(names: ["rollouts", "ro"], argument: nil, help: "rollouts, newest first"),
        Entry(names: ["rollout"], argument: "ID", help: "open a rollout"),
        Entry(names: ["probes", "degraded"], argument: nil, help: "probe latency per app, most degraded first"),
        Entry(names: ["worst"], argument: nil, help: "theaters with the worst probe p95, with trend and baseline"),
        Entry(names: ["alerts"], argument: nil, help: "probe degradation alerts"),
        Entry(names: ["heatmap"], argument: "APP", help: "an app's p95 per country over a day"),
        Entry(names: ["cohort"], argument: "APP", help: "an app's degraded hosts and what they share"),
        Entry(names: ["logs"], argument: "[TEXT]", help: "the Logs view of the selection (lines containing TEXT)"),
        Entry(names: ["range"], argument: "FROM [UNTIL]", help: "the Logs view over an absolute range (ISO 8601, UTC)"),
        Entry(names: ["timeline"], argument: "CONTAINER", help: "a container's lines with its host's runtime and kernel lines"),
        Entry(names: ["topology"], argument: "CONTAINER|HOST", help: "host, kernel, runtime, and what shares them"),
        Entry(names: ["upgrades"], argument: nil, help: "infrastructure upgrade plans"),
        Entry(names: ["upgrade"], argument: "NAME | start FILE", help: "one plan's theaters host by host; start a plan (write mode)"),
        Entry(names: ["security", "audit"], argument: nil, help: "tenants, quotas and the audit trail (verified)"),
        Entry(names: ["tenants", "quotas"], argument: nil, help: "tenants with their quotas and usage"),
        Entry(names: ["help"], argument: nil, help: "key bindings"),
        Entry(names: ["q", "quit"], argument: nil, help: "quit"),
    ]

    /// What a command line resolves to.
    enum Resolution: Equatable {
        case screen(ScreenKind)
        /// The Logs view of the selection, with lines containing the text.
        case logs(String?)
        /// An absolute range for the Logs view.
        case range(Date, Date?)
        /// `:upgrade start FILE`: confirm, then start the plan.
        case startUpgrade(String)
        case help
        case quit
        case error(String)
    }

    static func resolve(_ text: String, data: FleetData?) -> Resolution {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let name = words.first?.lowercased() else { return .error("type a command, e.g. :sites") }
        let argument = words.count > 1 ? words[1] : nil
        switch name {
        case "q", "q!", "quit", "exit": return .quit
        case "help", "?": return .help
        case "countries", "co", "cc": return .screen(.countries)
        case "sites", "theaters", "th", "site", "theater":
            guard let argument else { return .screen(.sites(country: nil)) }
            if argument.count == 2, data?.countries.contains(where: { $0.code == argument.uppercased() }) ?? false {
                return .screen(.sites(country: argument.uppercased()))
            }
            guard data?.sitesByID[argument.lowercased()] != nil else { return .error("no theater '\(argument)'") }
            return .screen(.site(argument.lowercased()))
        case "country":
            guard let code = argument?.uppercased(), data?.countries.contains(where: { $0.code == code }) ?? false else {
                return .error("no country '\(argument ?? "")' in the fleet")
            }
            return .screen(.sites(country: code))
        case "hosts", "ho":
            switch argument?.lowercased() {
            case nil: return .screen(.hosts)
            case "pending"?: return .screen(.pendingHosts)
            case let other?: return .error("':hosts \(other)': did you mean ':hosts pending'?")
            }
        case "pending": return .screen(.pendingHosts)
        case "host":
            guard let argument, data?.hosts.contains(where: { $0.id == argument.lowercased() }) ?? false else {
                return .error("no host '\(argument ?? "")'")
            }
            return .screen(.host(argument.lowercased()))
        case "events", "ev": return .screen(.events)
        case "apps", "applications": return .screen(.apps)
        case "rollouts", "ro": return .screen(.rollouts)
        case "rollout":
            guard let argument else { return .screen(.rollouts) }
            guard data?.rollouts.contains(where: { $0.id == argument }) ?? false else { return .error("no rollout '\(argument)'") }
            return .screen(.rollout(argument))
        case "upgrades", "up": return .screen(.upgrades)
        case "security", "audit": return .screen(.security)
        case "tenants", "quotas": return .screen(.tenants)
        case "upgrade":
            guard let argument else { return .screen(.upgrades) }
            if argument == "start" {
                guard words.count > 2 else { return .error(":upgrade start needs a plan file, e.g. :upgrade start plans/runtime-se.yaml") }
                return .startUpgrade(words[2])
            }
            guard data?.upgrades.contains(where: { $0.id == argument }) ?? false else { return .error("no upgrade plan '\(argument)'") }
            return .screen(.upgrade(argument))
        case "probes", "degraded", "pr": return .screen(.probes)
        case "worst": return .screen(.worstSites)
        case "alerts", "al": return .screen(.alerts)
        case "heatmap", "cohort":
            guard let argument else { return .error(":\(name) needs an application, e.g. :\(name) kiosk-ticketing") }
            return .screen(name == "heatmap" ? .heatmap(argument) : .cohort(argument))
        case "logs":
            return .logs(words.count > 1 ? words.dropFirst().joined(separator: " ") : nil)
        case "range":
            func date(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text.hasSuffix("Z") ? text : text + "Z") }
            guard let argument, let from = date(argument) else { return .error(":range needs FROM [UNTIL], e.g. :range 2026-11-27T02:00:00Z") }
            let until = words.count > 2 ? date(words[2]) : nil
            if words.count > 2, until == nil { return .error(":range: '\(words[2])' is not a time like 2026-11-27T03:00:00Z") }
            return .range(from, until)
        case "timeline":
            guard let argument, argument.contains("/") else { return .error(":\(name) needs a container id, e.g. :\(name) HOST/APP/CONTAINER-0") }
            return .screen(.timeline(argument))
        case "topology":
            guard let argument else { return .error(":topology needs a container or host id") }
            return .screen(.topology(argument))
        default: return .error("unknown command ':\(name)'; type : and Tab for suggestions")
        }
    }

    /// Completions for what has been typed, best first (at most `limit`).
    static func suggestions(for text: String, data: FleetData?, limit: Int = 6) -> [(completion: String, help: String)] {
        let lowered = text.lowercased()
        if let space = lowered.firstIndex(of: " ") {
            let command = String(lowered[..<space])
            let prefix = String(lowered[lowered.index(after: space)...]).trimmingCharacters(in: .whitespaces)
            guard let data else { return [] }
            switch command {
            case "site", "sites", "th", "theaters", "theater":
                return data.sites.lazy.filter { $0.id.hasPrefix(prefix) }.prefix(limit).map { ("\(command) \($0.id)", $0.site.name) }
            case "rollout":
                return data.rollouts.lazy.filter { $0.id.hasPrefix(prefix) }.prefix(limit).map { ("rollout \($0.id)", $0.summary) }
            case "host", "topology":
                if command == "topology", prefix.contains("/") { return [] }
                return data.hosts.lazy.filter { $0.id.hasPrefix(prefix) }.prefix(limit).map { ("\(command) \($0.id)", $0.status.rawValue) }
            case "heatmap", "cohort":
                return data.apps.lazy.filter { $0.name.hasPrefix(prefix) }.prefix(limit).map { ("\(command) \($0.name)", "application") }
            case "country":
                return data.countries.filter { $0.code.lowercased().hasPrefix(prefix) || $0.name.lowercased().hasPrefix(prefix) }
                    .prefix(limit).map { ("country \($0.code)", $0.name) }
            default:
                return []
            }
        }
        var result: [(String, String)] = []
        for entry in entries {
            if let name = entry.names.first(where: { $0.hasPrefix(lowered) }) {
                result.append((entry.argument == nil ? name : "\(name) ", (entry.argument.map { "\($0)  " } ?? "") + entry.help))
            }
        }
        return Array(result.prefix(limit))
    }
}
