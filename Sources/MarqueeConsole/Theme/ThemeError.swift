/// A theme file that cannot be used, naming the file, the line and the key.
public enum ThemeError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The YAML does not parse.
    case syntax(file: String, line: Int, reason: String)
    /// A key the theme format does not have.
    case unknownKey(file: String, line: Int, key: String, suggestion: String?)
    /// A colour value that is not `#rrggbb`, a colour name, `ansi:N`, `idx:N` or `default`.
    case invalidColor(file: String, line: Int, key: String, value: String)
    /// A value of the wrong shape (a map where a colour belongs, or the reverse).
    case wrongType(file: String, line: Int, key: String, expected: String)
    /// No theme with this name in any theme directory.
    case notFound(name: String, searched: [String])

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read theme: \(reason)"
        case .syntax(let file, let line, let reason): "\(file):\(line): invalid YAML: \(reason)"
        case .unknownKey(let file, let line, let key, let suggestion):
            "\(file):\(line): unknown key '\(key)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .invalidColor(let file, let line, let key, let value):
            "\(file):\(line): '\(key)': '\(value)' is not a colour (use #rrggbb, a colour name, ansi:0-15, idx:0-255 or default)"
        case .wrongType(let file, let line, let key, let expected): "\(file):\(line): '\(key)' must be \(expected)"
        case .notFound(let name, let searched):
            "no theme '\(name)' (built in: \(BuiltinThemes.names.joined(separator: ", ")); searched \(searched.joined(separator: ", ")))"
        }
    }
}
