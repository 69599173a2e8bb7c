/// One problem found in a spec file, pointing at the file, line, column and field path.
public struct SpecDiagnostic: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The file as the operator named it (relative paths stay relative).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column (in Unicode scalars, as libYAML counts).
    public var column: Int
    /// The field path, e.g. `services[0].containers[1].resources.memory`; empty for the document.
    public var path: String
    /// What is wrong and, where one exists, the fix.
    public var message: String

    public init(file: String, line: Int, column: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    /// `file:line:column: path: message`, the form editors and CI logs link.
    public var description: String {
        path.isEmpty ? "\(file):\(line):\(column): \(message)" : "\(file):\(line):\(column): \(path): \(message)"
    }
}

/// Spec files that did not validate; carries every problem found, in file order.
public struct SpecError: Error, Sendable, Equatable, CustomStringConvertible, InputError {
    public var diagnostics: [SpecDiagnostic]

    public init(_ diagnostics: [SpecDiagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        let count = diagnostics.count
        let lines = diagnostics.map(\.description).joined(separator: "\n")
        return count == 1 ? lines : "\(count) problems:\n\(lines)"
    }
}
