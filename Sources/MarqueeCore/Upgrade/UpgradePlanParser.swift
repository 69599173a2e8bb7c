import Foundation
import Yams

/// Reads a `kind: UpgradePlan` document, reporting every problem with its file, line and field.
public enum UpgradePlanParser {
    /// Parses one plan from `yaml`; problems come back as diagnostics (never thrown).
    public static func parse(yaml: String, file: String) -> (plan: UpgradePlan?, diagnostics: [SpecDiagnostic]) {
        var reader = SpecReader(file: file)
        var plan: UpgradePlan?
        do {
            let documents = try Yams.compose_all(yaml: yaml).map { $0 }
            if documents.count != 1 {
                reader.report(at: nil, "", "expected one `kind: UpgradePlan` document, found \(documents.count)")
            } else {
                plan = read(documents[0], reader: &reader)
            }
        } catch let error as YamlError {
            reader.diagnosticsFromYAML(error)
        } catch {
            reader.report(at: nil, "", "cannot read YAML: \(error)")
        }
        let diagnostics = reader.diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return (diagnostics.isEmpty ? plan : nil, diagnostics)
    }

    /// Parses `yaml` or throws a ``SpecError`` listing every problem.
    public static func plan(yaml: String, file: String) throws(SpecError) -> UpgradePlan {
        let (plan, diagnostics) = parse(yaml: yaml, file: file)
        guard let plan, diagnostics.isEmpty else { throw SpecError(diagnostics) }
        return plan
    }

    /// Lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit (versions read naturally: `containerd-1.7.22`).
    static func isValidName(_ name: String) -> Bool {
        guard (1...63).contains(name.count), let first = name.unicodeScalars.first, let last = name.unicodeScalars.last else { return false }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789.-")
        let alphanumeric = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789")
        return name.unicodeScalars.allSatisfy(allowed.contains) && alphanumeric.contains(first) && alphanumeric.contains(last)
    }

    static func read(_ node: Node, reader: inout SpecReader) -> UpgradePlan? {
        guard
            let object = reader.object(
                node, path: "",
                allowed: ["apiVersion", "kind", "name", "targets", "select", "canary", "waves", "windows", "gates", "max-failed"],
                required: ["apiVersion", "kind", "name", "targets", "select"])
        else { return nil }
        if let kind = reader.string(object, "kind"), kind != "UpgradePlan" {
            reader.report(object.entries["kind"]!.value, "kind", "expected `UpgradePlan`, found `\(kind)`")
        }
        if let version = reader.string(object, "apiVersion"), version != SpecParser.apiVersion {
            reader.report(
                object.entries["apiVersion"]!.value, "apiVersion",
                "unsupported apiVersion `\(version)`; this Marquee reads `\(SpecParser.apiVersion)`")
        }
        let before = reader.diagnostics.count
        var name = reader.string(object, "name")
        if let text = name, !isValidName(text) {
            reader.report(
                object.entries["name"]!.value, "name", "`\(text)` is not a valid plan name: lower-case letters, digits, `.` and `-`, at most 63")
            name = nil
        }
        var targets = UpgradeTargets()
        if let value = object.entries["targets"]?.value,
            let entries = reader.object(value, path: "targets", allowed: ["os", "kernel", "runtime", "agent"])
        {
            targets = UpgradeTargets(
                os: reader.string(entries, "os"), kernel: reader.string(entries, "kernel"), runtime: reader.string(entries, "runtime"),
                agent: reader.string(entries, "agent"))
            if targets.isEmpty { reader.report(value, "targets", "name at least one of `os`, `kernel`, `runtime`, `agent`") }
        }
        let select = DeploymentReader.selector(object, "select", reader: &reader)
        // Canary, waves and windows read exactly as a deployment's rollout does.
        var policy = RolloutPolicy(waves: .sitesInParallel(10))
        let ordering = ["canary", "waves", "windows"].filter(object.has)
        if !ordering.isEmpty {
            DeploymentReader.readRollout(
                .mapping(Node.Mapping(ordering.map { (object.entries[$0]!.key, object.entries[$0]!.value) })), into: &policy, reader: &reader,
                path: "")
        }
        var gates = UpgradeGates()
        if let value = object.entries["gates"]?.value,
            let entries = reader.object(value, path: "gates", allowed: ["healthy-for", "probe-factor", "drain-timeout", "host-timeout"])
        {
            if entries.has("healthy-for"), let value = reader.parsed(entries, "healthy-for", SpecQuantities.duration) { gates.healthyFor = value }
            if entries.has("drain-timeout"), let value = reader.parsed(entries, "drain-timeout", SpecQuantities.duration) {
                gates.drainTimeout = value
            }
            if entries.has("host-timeout"), let value = reader.parsed(entries, "host-timeout", SpecQuantities.duration) {
                gates.hostTimeout = value
            }
            if entries.has("probe-factor"),
                let value = reader.parsed(
                    entries, "probe-factor",
                    { text throws(SpecValueError) in
                        guard let factor = Double(text), factor > 1, factor <= 100 else {
                            throw SpecValueError("expected a factor above 1 such as `1.5`, found `\(text)`")
                        }
                        return factor
                    })
            {
                gates.probeFactor = value
            }
        }
        let maxFailed = object.has("max-failed") ? reader.int(object, "max-failed", in: 0...10_000) : 0
        guard reader.diagnostics.count == before, let name, let select, let maxFailed else { return nil }
        return UpgradePlan(
            name: name, targets: targets, select: select, canary: policy.canary, waves: policy.waves, windows: policy.windows, gates: gates,
            maxFailed: maxFailed, source: "\(reader.file):\(node.mark?.line ?? 1)")
    }
}
