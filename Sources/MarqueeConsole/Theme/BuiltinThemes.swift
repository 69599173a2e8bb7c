/// Themes compiled into the binary (from the repository's `themes/` directory).
public enum BuiltinThemes {
    /// Names of the built-in themes, sorted.
    public static var names: [String] { sources.keys.sorted() }

    /// The built-in `default` theme; every other theme inherits keys it leaves out from it.
    public static let standard: Theme = {
        // The built-in default is checked by tests; failing here would be a build defect.
        do {
            return try ThemeParser.parse(sources["default"] ?? "", file: "builtin:default", base: nil)
        } catch {
            preconditionFailure("built-in default theme is invalid: \(error)")
        }
    }()

    /// A built-in theme by name.
    static func theme(named name: String) throws(ThemeError) -> Theme? {
        guard let source = sources[name] else { return nil }
        return try ThemeParser.parse(source, file: "builtin:\(name)", base: standard)
    }
}
