import Foundation

/// Reads spec files: one file, or every `*.yaml` / `*.yml` under a directory (sorted, recursive).
public enum SpecLoader {
    /// The spec files at `path` in the order they are read.
    public static func files(at path: String) throws(SpecError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SpecError([SpecDiagnostic(file: path, line: 1, column: 1, path: "", message: "no such file or directory")])
        }
        guard isDirectory.boolValue else { return [path] }
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        let names = (FileManager.default.enumerator(atPath: base)?.allObjects as? [String]) ?? []
        return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
            .sorted().map { "\(base)/\($0)" }
    }

    /// Parses every file at `path`; throws every problem at once.
    public static func load(_ path: String) throws(SpecError) -> SpecSet {
        let files = try files(at: path)
        if files.isEmpty {
            throw SpecError([SpecDiagnostic(file: path, line: 1, column: 1, path: "", message: "no *.yaml or *.yml files here")])
        }
        var sources: [(file: String, text: String)] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                throw SpecError([SpecDiagnostic(file: file, line: 1, column: 1, path: "", message: "cannot read the file as UTF-8 text")])
            }
            sources.append((file, text))
        }
        return try parse(sources)
    }

    /// Parses in-memory files (the tower receives them this way); throws every problem at once.
    public static func parse(_ sources: [(file: String, text: String)]) throws(SpecError) -> SpecSet {
        var set = SpecSet()
        var diagnostics: [SpecDiagnostic] = []
        for (file, text) in sources {
            let (specs, problems) = SpecParser.parse(yaml: text, file: file)
            diagnostics += problems
            set.append(contentsOf: specs)
        }
        diagnostics += crossFile(set)
        guard diagnostics.isEmpty else { throw SpecError(diagnostics) }
        return set
    }

    /// Problems across files: a version defined in two files, two deployments of one application.
    static func crossFile(_ set: SpecSet) -> [SpecDiagnostic] {
        var diagnostics: [SpecDiagnostic] = []
        var applications: [String: String] = [:]
        for application in set.applications {
            let key = "\(application.name)@\(application.version)"
            if let first = applications[key], first.split(separator: ":").first != application.source.split(separator: ":").first {
                diagnostics.append(
                    SpecParser.diagnostic(
                        at: application.source, "name", "application \(application.name) version \(application.version) is also defined at \(first)"))
            }
            applications[key] = applications[key] ?? application.source
        }
        var deployments: [String: String] = [:]
        for deployment in set.deployments {
            if let first = deployments[deployment.application], first.split(separator: ":").first != deployment.source.split(separator: ":").first {
                diagnostics.append(
                    SpecParser.diagnostic(
                        at: deployment.source, "application",
                        "\(deployment.application) already has a deployment at \(first); one deployment per application"))
            }
            deployments[deployment.application] = deployments[deployment.application] ?? deployment.source
        }
        return diagnostics
    }
}
