/// Where the fleet database lives when no path is given.
public enum DatabaseLocation {
    /// The environment variable that overrides the default path.
    public static let environmentKey = "MARQUEE_DB"

    /// Resolves the database path: an explicit path, then `MARQUEE_DB`, then
    /// `$XDG_DATA_HOME/marquee/marquee.db`, then `~/.local/share/marquee/marquee.db`.
    ///
    /// - Parameters:
    ///   - explicit: a path given on the command line, if any.
    ///   - environment: the process environment (injected for tests).
    public static func resolve(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment[environmentKey], !fromEnvironment.isEmpty { return fromEnvironment }
        return dataDirectory(environment: environment) + "/marquee.db"
    }

    /// `$XDG_DATA_HOME/marquee`, or `~/.local/share/marquee`.
    public static func dataDirectory(environment: [String: String]) -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/marquee" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return home + "/.local/share/marquee"
    }
}
