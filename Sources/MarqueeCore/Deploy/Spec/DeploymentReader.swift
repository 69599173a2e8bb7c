import Foundation
import Yams

/// Reads a `kind: Deployment` document.
enum DeploymentReader {
    static func read(_ node: Node, source: String, reader: inout SpecReader) -> DeploymentSpec? {
        guard
            let object = reader.object(
                node, path: "", allowed: ["apiVersion", "kind", "application", "version", "placement", "rollout"],
                required: ["apiVersion", "application", "version", "placement"])
        else { return nil }
        let before = reader.diagnostics.count
        let application = ApplicationReader.readName(object, "application", reader: &reader)
        let version: VersionPolicy? = reader.string(object, "version").map { $0 == "*" ? .follow : .exact($0) }
        var placement: String?
        if let value = object.entries["placement"]?.value,
            let placementObject = reader.object(value, path: "placement", allowed: ["match"], required: ["match"])
        {
            placement = selector(placementObject, "match", reader: &reader)
        }
        var rollout = RolloutPolicy()
        if let value = object.entries["rollout"]?.value {
            readRollout(value, into: &rollout, reader: &reader)
        }
        guard reader.diagnostics.count == before, let application, let version, let placement else { return nil }
        return DeploymentSpec(application: application, version: version, placement: placement, rollout: rollout, source: source)
    }

    /// A label selector, reported with the column inside the YAML line where the selector breaks.
    static func selector(_ object: SpecReader.Object, _ key: String, reader: inout SpecReader) -> String? {
        guard let text = reader.string(object, key), let value = object.entries[key]?.value else { return nil }
        do {
            _ = try LabelSelector(text)
            return text
        } catch {
            let mark = value.mark
            let quoted = value.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
            let column = (mark?.column ?? 1) + (quoted ? 1 : 0) + error.column - 1
            reader.report(line: mark?.line ?? 1, column: column, SpecReader.join(object.path, key), "bad selector `\(text)`: \(error)")
            return nil
        }
    }

    static func readRollout(_ node: Node, into rollout: inout RolloutPolicy, reader: inout SpecReader, path: String = "rollout") {
        guard
            let object = reader.object(
                node, path: path, allowed: ["canary", "waves", "healthy-for", "deadline", "max-failed", "auto-rollback", "windows"])
        else { return }
        if let value = object.entries["canary"]?.value,
            let canary = reader.object(value, path: SpecReader.join(path, "canary"), allowed: ["match", "sites", "healthy-for"])
        {
            let healthyFor = canary.has("healthy-for") ? reader.parsed(canary, "healthy-for", SpecQuantities.duration) : nil
            switch (canary.has("match"), canary.has("sites")) {
            case (true, false):
                if let match = selector(canary, "match", reader: &reader) {
                    rollout.canary = CanaryPolicy(sites: .match(match), healthyFor: healthyFor ?? 600)
                }
            case (false, true):
                if let count = reader.int(canary, "sites", in: 1...1_000) {
                    rollout.canary = CanaryPolicy(sites: .count(count), healthyFor: healthyFor ?? 600)
                }
            default:
                reader.report(
                    value, SpecReader.join(path, "canary"), "a canary names its sites with exactly one of `match` (a selector) or `sites` (a count)")
            }
        }
        if let value = object.entries["waves"]?.value,
            let waves = reader.object(value, path: SpecReader.join(path, "waves"), allowed: ["sites-in-parallel", "percent"])
        {
            switch (waves.has("sites-in-parallel"), waves.has("percent")) {
            case (true, false):
                if let size = reader.int(waves, "sites-in-parallel", in: 1...10_000) { rollout.waves = .sitesInParallel(size) }
            case (false, true):
                if let percent = reader.int(waves, "percent", in: 1...100) { rollout.waves = .percent(percent) }
            default:
                reader.report(value, SpecReader.join(path, "waves"), "waves take exactly one of `sites-in-parallel` or `percent`")
            }
        }
        if object.has("healthy-for"), let value = reader.parsed(object, "healthy-for", SpecQuantities.duration) { rollout.healthyFor = value }
        if object.has("deadline"), let value = reader.parsed(object, "deadline", SpecQuantities.duration) {
            if value < 60 {
                reader.report(
                    object.entries["deadline"]!.value, SpecReader.join(path, "deadline"), "a deadline under 1m leaves no time to start containers")
            } else {
                rollout.deadline = value
            }
        }
        if object.has("max-failed"), let value = reader.int(object, "max-failed", in: 0...10_000) { rollout.maxFailed = value }
        if object.has("auto-rollback") {
            rollout.autoRollback =
                reader.parsed(object, "auto-rollback") { text throws(SpecValueError) in
                    guard let value = AutoRollback(rawValue: text) else {
                        throw SpecValueError("expected one of \(AutoRollback.allCases.map(\.rawValue).joined(separator: ", ")), found `\(text)`")
                    }
                    return value
                } ?? rollout.autoRollback
        }
        rollout.windows = reader.list(object, "windows").compactMap { window($0, reader: &reader) }
    }

    static func window(_ element: SpecReader.Element, reader: inout SpecReader) -> MaintenanceWindow? {
        guard let object = reader.object(element.node, path: element.path, allowed: ["days", "from", "to"], required: ["days", "from", "to"])
        else { return nil }
        var days: [Int] = []
        for day in reader.list(object, "days") {
            guard let text = day.node.scalar?.string, let range = dayRange(text) else {
                reader.report(
                    day.node, day.path, "expected a day (`mon` … `sun`) or a range such as `mon-thu`, found \(SpecReader.describe(day.node))")
                continue
            }
            days += range.filter { !days.contains($0) }
        }
        let from = reader.parsed(object, "from") { text throws(SpecValueError) in try clockTime(text) }
        let to = reader.parsed(object, "to") { text throws(SpecValueError) in try clockTime(text) }
        guard !days.isEmpty, let from, let to else { return nil }
        if from == to {
            reader.report(object.entries["to"]!.value, element.path + ".to", "`from` and `to` are equal: the window would never open")
            return nil
        }
        return MaintenanceWindow(days: days.sorted(), from: from, to: to)
    }

    static func dayRange(_ text: String) -> [Int]? {
        let names = MaintenanceWindow.dayNames
        let parts = text.lowercased().split(separator: "-").map(String.init)
        guard (1...2).contains(parts.count), let first = names.firstIndex(of: parts[0]).map({ $0 + 1 }) else { return nil }
        guard parts.count == 2 else { return [first] }
        guard let last = names.firstIndex(of: parts[1]).map({ $0 + 1 }) else { return nil }
        var days = [first]
        var day = first
        while day != last {
            day = day % 7 + 1
            days.append(day)
        }
        return days
    }

    /// Minutes after midnight from `HH:MM` (`24:00` allowed as an end).
    static func clockTime(_ text: String) throws(SpecValueError) -> Int {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[1].count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0...59).contains(minute),
            (0...23).contains(hour) || (hour == 24 && minute == 0)
        else { throw SpecValueError("expected a local time `HH:MM` such as \"02:00\", found `\(text)`") }
        return hour * 60 + minute
    }
}
