import Foundation

/// How to run the console.
public struct ConsoleOptions: Sendable {
    /// The screen to open (with its parents on the navigation stack).
    public var view: ScreenKind
    /// Disarms every action that changes the fleet.
    public var readOnly: Bool
    /// How often to poll the fleet for changes.
    public var refresh: Duration
    public var theme: Theme
    /// Shown on screen when the requested theme could not be used.
    public var themeWarning: String?
    /// The process environment (colour detection).
    public var environment: [String: String]

    public init(
        view: ScreenKind = .countries, readOnly: Bool = true, refresh: Duration = .seconds(2), theme: Theme = BuiltinThemes.standard,
        themeWarning: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.view = view
        self.readOnly = readOnly
        self.refresh = refresh
        self.theme = theme
        self.themeWarning = themeWarning
        self.environment = environment
    }
}
