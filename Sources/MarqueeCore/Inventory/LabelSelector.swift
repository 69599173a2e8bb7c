/// A compiled label selector: parse once, evaluate against many sites.
///
/// ```swift
/// let selector = try LabelSelector("country = SE and screens >= 10")
/// let swedishMultiplexes = sites.filter { selector.matches($0.labels) }
/// ```
///
/// The language: `=`/`==`, `!=`, `in (…)`, `not in (…)`, numeric `<`, `<=`, `>`, `>=`, `has(label)`,
/// `and`/`&&`, `or`/`||`, `not`/`!`, parentheses; values bare (`SE`, `se-sto-012`) or quoted
/// (`"São Paulo"`). Keywords are case-insensitive; labels and values are case-sensitive.
/// Unknown labels are allowed and simply do not match. See `docs/selectors.md`.
public struct LabelSelector: Sendable, Equatable, CustomStringConvertible {
    /// The source text the selector was compiled from.
    public let source: String
    /// The parsed expression.
    public let expression: SelectorExpression
    private let program: SelectorProgram

    /// Parses and compiles `source`.
    ///
    /// - Throws: ``SelectorError`` naming the 1-based column where the text stops making sense.
    public init(_ source: String) throws(SelectorError) {
        let tokens = try SelectorLexer(source).tokens()
        var parser = SelectorParser(tokens: tokens)
        self.source = source
        self.expression = try parser.parse()
        self.program = SelectorProgram(expression)
    }

    /// Whether a site with these labels is selected.
    public func matches(_ labels: Labels) -> Bool {
        program.evaluate(labels)
    }

    /// The label keys the selector reads.
    public var labelKeys: Set<String> { program.labelKeys }

    /// Canonical text (normalised spacing and quoting).
    public var description: String { expression.description }

    public static func == (lhs: LabelSelector, rhs: LabelSelector) -> Bool { lhs.expression == rhs.expression }
}
