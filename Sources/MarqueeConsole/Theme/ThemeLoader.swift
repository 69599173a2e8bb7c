import Foundation

/// Finds and loads the console theme: `--theme NAME|PATH`, else `MARQUEE_THEME`, else `default`.
///
/// A name is looked up in `$XDG_CONFIG_HOME/marquee/themes/NAME.yaml`, then
/// `$XDG_DATA_HOME/marquee/themes/NAME.yaml`, then the built-in themes; a value containing `/`
/// or ending in `.yaml` is a file path. An invalid theme never stops the console: it falls back
/// to `default` and returns a warning to show on screen.
public enum ThemeLoader {
    /// The outcome of loading: the theme to use and, when it is a fallback, why.
    public struct Outcome: Sendable {
        public var theme: Theme
        public var warning: String?
    }

    public static func load(_ requested: String?, environment: [String: String]) -> Outcome {
        let name = requested ?? environment["MARQUEE_THEME"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        do {
            return Outcome(theme: try theme(name, environment: environment), warning: nil)
        } catch {
            return Outcome(theme: BuiltinThemes.standard, warning: "using the default theme: \(error)")
        }
    }

    /// Loads one theme strictly (errors are thrown, not replaced by the default).
    public static func theme(_ name: String, environment: [String: String]) throws(ThemeError) -> Theme {
        if name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            return try file(name)
        }
        var searched: [String] = []
        for directory in directories(environment: environment) {
            let path = "\(directory)/\(name).yaml"
            searched.append(path)
            if FileManager.default.fileExists(atPath: path) { return try file(path) }
        }
        if let builtin = try BuiltinThemes.theme(named: name) { return builtin }
        throw .notFound(name: name, searched: searched)
    }

    /// User theme directories, most specific first.
    public static func directories(environment: [String: String]) -> [String] {
        let home = environment["HOME"] ?? "/tmp"
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "\(home)/.config"
        let data = environment["XDG_DATA_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "\(home)/.local/share"
        return ["\(config)/marquee/themes", "\(data)/marquee/themes"]
    }

    private static func file(_ path: String) throws(ThemeError) -> Theme {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        return try ThemeParser.parse(text, file: path, base: BuiltinThemes.standard)
    }
}
