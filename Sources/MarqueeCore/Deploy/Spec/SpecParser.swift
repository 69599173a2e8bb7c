import Foundation
import Yams

/// Reads `apiVersion: marquee/v1` documents (`kind: Application` or `kind: Deployment`) from YAML.
public enum SpecParser {
    public static let apiVersion = "marquee/v1"

    /// Parses every document of one file. Problems come back as diagnostics (never thrown), so a
    /// directory is checked in one pass.
    public static func parse(yaml: String, file: String) -> (specs: SpecSet, diagnostics: [SpecDiagnostic]) {
        var reader = SpecReader(file: file)
        var specs = SpecSet()
        do {
            var documents = try Yams.compose_all(yaml: yaml)
            while let document = documents.next() {
                readDocument(document, into: &specs, reader: &reader)
            }
            // The sequence keeps a parse error instead of throwing it.
            if let error = documents.error { throw error }
        } catch let error as YamlError {
            reader.diagnosticsFromYAML(error)
        } catch {
            reader.report(at: nil, "", "cannot read YAML: \(error)")
        }
        var diagnostics = reader.diagnostics
        diagnostics += crossCheck(specs, file: file)
        return (specs, diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }

    private static func readDocument(_ node: Node, into specs: inout SpecSet, reader: inout SpecReader) {
        guard case .mapping(let mapping) = node else {
            reader.report(node, "", "expected a document with `apiVersion` and `kind`, found \(SpecReader.describe(node))")
            return
        }
        let kind = mapping["kind"]?.scalar?.string
        guard let kind, ["Application", "Deployment"].contains(kind) else {
            let where_ = mapping["kind"] ?? node
            let hint = kind.flatMap { SpecReader.suggestion(for: $0, among: ["Application", "Deployment"]) }.map { "; did you mean `\($0)`?" } ?? ""
            reader.report(
                where_, "kind", kind == nil ? "missing required field `kind` (`Application` or `Deployment`)" : "unknown kind `\(kind!)`\(hint)")
            return
        }
        if let version = mapping["apiVersion"]?.scalar?.string, version != apiVersion {
            reader.report(mapping["apiVersion"]!, "apiVersion", "unsupported apiVersion `\(version)`; this Marquee reads `\(apiVersion)`")
        }
        let source = "\(reader.file):\(node.mark?.line ?? 1)"
        if kind == "Application" {
            if let application = ApplicationReader.read(node, source: source, reader: &reader) { specs.applications.append(application) }
        } else if let deployment = DeploymentReader.read(node, source: source, reader: &reader) {
            specs.deployments.append(deployment)
        }
    }

    /// Checks that need the whole file: duplicate names.
    private static func crossCheck(_ specs: SpecSet, file: String) -> [SpecDiagnostic] {
        var seen: Set<String> = []
        var diagnostics: [SpecDiagnostic] = []
        for application in specs.applications where !seen.insert("\(application.name)@\(application.version)").inserted {
            diagnostics.append(
                diagnostic(at: application.source, "name", "application \(application.name) version \(application.version) is defined twice"))
        }
        seen = []
        for deployment in specs.deployments where !seen.insert(deployment.application).inserted {
            diagnostics.append(
                diagnostic(at: deployment.source, "application", "a second deployment of \(deployment.application): one deployment per application"))
        }
        return diagnostics
    }

    static func diagnostic(at source: String, _ path: String, _ message: String) -> SpecDiagnostic {
        let parts = source.split(separator: ":")
        let line = parts.last.flatMap { Int($0) } ?? 1
        return SpecDiagnostic(file: parts.dropLast().joined(separator: ":"), line: line, column: 1, path: path, message: message)
    }
}

extension SpecReader {
    mutating func diagnosticsFromYAML(_ error: YamlError) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            report(at: mark, "", "YAML syntax: \(problem)")
        default:
            report(at: nil, "", "YAML: \(error)")
        }
    }
}
