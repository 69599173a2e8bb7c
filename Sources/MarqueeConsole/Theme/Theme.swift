/// A console theme: colours for each semantic key, before fitting to a terminal.
///
/// Themes are YAML files (`themes/*.yaml`, format in `docs/themes.md`). Keys a theme leaves out
/// inherit from the built-in `default` theme.
public struct Theme: Sendable, Equatable {
    /// Name from `meta.name` (or the file name).
    public var name: String
    /// `dark`, `light` or `mono`; a `mono` theme always renders with attributes only.
    public var variant: String
    /// Colour by key path, e.g. `table.cursorBg`.
    public var colors: [String: TerminalColor]

    public init(name: String, variant: String, colors: [String: TerminalColor]) {
        self.name = name
        self.variant = variant
        self.colors = colors
    }

    /// Fits every role's colours to `depth`.
    public func resolve(for depth: ColorDepth) -> ResolvedTheme {
        let effective = variant == "mono" ? ColorDepth.monochrome : depth
        var styles: [CellStyle] = []
        styles.reserveCapacity(StyleRole.allCases.count)
        for role in StyleRole.allCases {
            let spec = role.spec
            var attributes = spec.attributes
            if effective == .monochrome { attributes.formUnion(spec.monochrome) }
            let foreground = colors[spec.foreground].flatMap { effective.fit($0) }
            let background = background(of: role).flatMap { effective.fit($0) }
            styles.append(
                CellStyle(
                    foreground: foreground == .terminalDefault ? nil : foreground,
                    background: background == .terminalDefault ? nil : background, attributes: attributes))
        }
        return ResolvedTheme(name: name, depth: effective, styles: styles)
    }

    private func background(of role: StyleRole) -> TerminalColor? {
        let spec = role.spec
        if let key = spec.background { return colors[key] }
        if let parent = spec.backgroundFrom { return background(of: parent) }
        return nil
    }
}

/// A theme fitted to one colour depth: a ``CellStyle`` per ``StyleRole``.
public struct ResolvedTheme: Sendable, Equatable {
    public let name: String
    public let depth: ColorDepth
    let styles: [CellStyle]

    public subscript(role: StyleRole) -> CellStyle { styles[role.rawValue] }
}
