/// Recursive-descent parser for label selectors.
///
/// ```
/// selector   := or
/// or         := and (("or" | "||") and)*
/// and        := unary (("and" | "&&") unary)*
/// unary      := ("not" | "!") unary | primary
/// primary    := "(" or ")" | "has" "(" label ")" | label comparison
/// comparison := ("=" | "==" | "!=") value
///             | ["not"] "in" "(" value ("," value)* ")"
///             | ("<" | "<=" | ">" | ">=") number
/// ```
struct SelectorParser {
    private let tokens: [SelectorToken]
    private var position = 0

    init(tokens: [SelectorToken]) {
        self.tokens = tokens
    }

    mutating func parse() throws(SelectorError) -> SelectorExpression {
        let expression = try parseOr()
        let token = current
        guard token.kind == .end else {
            throw .unexpectedToken(column: token.column, expected: "'and', 'or' or the end of the selector", found: token.text)
        }
        return expression
    }

    private var current: SelectorToken { tokens[position] }

    private mutating func advance() -> SelectorToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func failure(expected: String) -> SelectorError {
        let token = current
        if token.kind == .end { return .unexpectedEnd(column: token.column, expected: expected) }
        return .unexpectedToken(column: token.column, expected: expected, found: token.text)
    }

    private mutating func parseOr() throws(SelectorError) -> SelectorExpression {
        var terms = [try parseAnd()]
        while current.isKeyword("or") || current.kind == .orOr {
            _ = advance()
            terms.append(try parseAnd())
        }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func parseAnd() throws(SelectorError) -> SelectorExpression {
        var terms = [try parseUnary()]
        while current.isKeyword("and") || current.kind == .andAnd {
            _ = advance()
            terms.append(try parseUnary())
        }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    private mutating func parseUnary() throws(SelectorError) -> SelectorExpression {
        if current.isKeyword("not") || current.kind == .bang {
            _ = advance()
            return .not(try parseUnary())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(SelectorError) -> SelectorExpression {
        let token = current
        switch token.kind {
        case .openParen:
            _ = advance()
            let inner = try parseOr()
            guard current.kind == .closeParen else {
                throw failure(expected: "')' to close the '(' at column \(token.column)")
            }
            _ = advance()
            return inner
        case .word(let word) where word.lowercased() == "has" && tokens[position + 1].kind == .openParen:
            _ = advance()
            _ = advance()
            let label = try parseLabel(expected: "a label inside 'has('")
            guard current.kind == .closeParen else { throw failure(expected: "')' to close 'has(\(label)'") }
            _ = advance()
            return .has(label: label)
        case .word:
            let label = try parseLabel(expected: "a label")
            return try parseComparison(label: label)
        default:
            throw failure(expected: "a label, 'not', 'has(' or '('")
        }
    }

    private mutating func parseLabel(expected: String) throws(SelectorError) -> String {
        guard case .word(let word) = current.kind, Self.isLabelKey(word),
            !["and", "or", "not", "in"].contains(word.lowercased())
        else { throw failure(expected: expected) }
        _ = advance()
        return word
    }

    private mutating func parseComparison(label: String) throws(SelectorError) -> SelectorExpression {
        let token = current
        switch token.kind {
        case .equals:
            _ = advance()
            return .equals(label: label, value: try parseValue(after: "'='"))
        case .notEquals:
            _ = advance()
            return .notEquals(label: label, value: try parseValue(after: "'!='"))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            _ = advance()
            let comparison = SelectorExpression.NumericComparison(rawValue: token.text)!
            let valueToken = current
            guard case .word(let word) = valueToken.kind, let number = Double(word), number.isFinite else {
                throw failure(expected: "a number after '\(token.text)'")
            }
            _ = advance()
            return .compare(label: label, comparison: comparison, value: number)
        case .word(let word) where word.lowercased() == "in":
            _ = advance()
            return .isIn(label: label, values: try parseValueList(opener: "in"))
        case .word(let word) where word.lowercased() == "not":
            _ = advance()
            guard current.isKeyword("in") else { throw failure(expected: "'in' after '\(label) not'") }
            _ = advance()
            return .notIn(label: label, values: try parseValueList(opener: "not in"))
        default:
            throw failure(expected: "an operator (=, !=, in, not in, <, <=, >, >=) after '\(label)'")
        }
    }

    private mutating func parseValue(after opener: String) throws(SelectorError) -> String {
        switch current.kind {
        case .word(let word) where !["and", "or"].contains(word.lowercased()):
            _ = advance()
            return word
        case .quoted(let value):
            _ = advance()
            return value
        default:
            throw failure(expected: "a value after \(opener)")
        }
    }

    private mutating func parseValueList(opener: String) throws(SelectorError) -> [String] {
        guard current.kind == .openParen else { throw failure(expected: "'(' after '\(opener)'") }
        _ = advance()
        var values = [try parseValue(after: "'\(opener) ('")]
        while current.kind == .comma {
            _ = advance()
            values.append(try parseValue(after: "','"))
        }
        guard current.kind == .closeParen else { throw failure(expected: "',' or ')' in the '\(opener)' list") }
        _ = advance()
        return values
    }

    /// Label keys are ASCII letters, digits and `-_./`, starting with a letter or digit.
    static func isLabelKey(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first)
        else { return false }
        return word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_./".unicodeScalars.contains(scalar))
        }
    }
}
