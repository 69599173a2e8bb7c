/// One lexical token of a label selector, with the 1-based column where it starts.
struct SelectorToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A bare word: a label key, a keyword or an unquoted value.
        case word(String)
        /// A quoted value, without its quotes.
        case quoted(String)
        case openParen, closeParen, comma
        case equals, notEquals, less, lessOrEqual, greater, greaterOrEqual
        case bang, andAnd, orOr
        case end
    }

    var kind: Kind
    var column: Int

    /// The token as the user typed it, for error messages.
    var text: String {
        switch kind {
        case .word(let word): word
        case .quoted(let value): "\"\(value)\""
        case .openParen: "("
        case .closeParen: ")"
        case .comma: ","
        case .equals: "="
        case .notEquals: "!="
        case .less: "<"
        case .lessOrEqual: "<="
        case .greater: ">"
        case .greaterOrEqual: ">="
        case .bang: "!"
        case .andAnd: "&&"
        case .orOr: "||"
        case .end: "end of selector"
        }
    }

    /// Whether this is the bare keyword `keyword` (case-insensitive).
    func isKeyword(_ keyword: String) -> Bool {
        if case .word(let word) = kind { return word.lowercased() == keyword }
        return false
    }
}
