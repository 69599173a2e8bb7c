/// A malformed label selector, with the 1-based column where parsing stopped.
public enum SelectorError: Error, Equatable, CustomStringConvertible, InputError {
    /// The expression ended where more was expected.
    case unexpectedEnd(column: Int, expected: String)
    /// A token was found where something else was expected.
    case unexpectedToken(column: Int, expected: String, found: String)
    /// A quoted value was never closed.
    case unterminatedString(column: Int)
    /// A character that cannot start any token.
    case invalidCharacter(column: Int, character: Character)

    /// 1-based column (in characters) where the problem is.
    public var column: Int {
        switch self {
        case .unexpectedEnd(let column, _), .unexpectedToken(let column, _, _), .unterminatedString(let column),
            .invalidCharacter(let column, _):
            column
        }
    }

    public var description: String {
        switch self {
        case .unexpectedEnd(let column, let expected):
            "column \(column): expected \(expected), but the selector ends here"
        case .unexpectedToken(let column, let expected, let found):
            "column \(column): expected \(expected), found '\(found)'"
        case .unterminatedString(let column):
            "column \(column): quoted value is not closed"
        case .invalidCharacter(let column, let character):
            "column \(column): unexpected character '\(character)'"
        }
    }
}
