/// Splits a selector into tokens.
///
/// Bare words run until whitespace, a parenthesis, a comma, a quote or an operator character,
/// so `country=SE` and `country = SE` lex the same. Values with spaces are quoted with `"` or `'`;
/// a backslash escapes the quote character inside a quoted value.
///
/// Works on Unicode scalars, not grapheme clusters: every character the grammar gives meaning to
/// is a single scalar, and scalar-level lexing is several times cheaper (placement parses
/// every deployment's selector). Columns count scalars.
struct SelectorLexer {
    private let characters: [Unicode.Scalar]

    init(_ source: String) {
        characters = Array(source.unicodeScalars)
    }

    func tokens() throws(SelectorError) -> [SelectorToken] {
        var tokens: [SelectorToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let column = index + 1
            if character.properties.isWhitespace {
                index += 1
                continue
            }
            let next: Unicode.Scalar? = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "(": tokens.append(.init(kind: .openParen, column: column))
            case ")": tokens.append(.init(kind: .closeParen, column: column))
            case ",": tokens.append(.init(kind: .comma, column: column))
            case "=":
                if next == "=" { index += 1 }
                tokens.append(.init(kind: .equals, column: column))
            case "!":
                if next == "=" {
                    index += 1
                    tokens.append(.init(kind: .notEquals, column: column))
                } else {
                    tokens.append(.init(kind: .bang, column: column))
                }
            case "<":
                if next == "=" { index += 1 }
                tokens.append(.init(kind: next == "=" ? .lessOrEqual : .less, column: column))
            case ">":
                if next == "=" { index += 1 }
                tokens.append(.init(kind: next == "=" ? .greaterOrEqual : .greater, column: column))
            case "&":
                guard next == "&" else { throw .invalidCharacter(column: column, character: Character(character)) }
                index += 1
                tokens.append(.init(kind: .andAnd, column: column))
            case "|":
                guard next == "|" else { throw .invalidCharacter(column: column, character: Character(character)) }
                index += 1
                tokens.append(.init(kind: .orOr, column: column))
            case "\"", "'":
                let (value, end) = try quoted(from: index, quote: character)
                tokens.append(.init(kind: .quoted(value), column: column))
                index = end
            default:
                guard Self.isWordCharacter(character) else {
                    throw .invalidCharacter(column: column, character: Character(character))
                }
                var end = index
                while end < characters.count, Self.isWordCharacter(characters[end]) { end += 1 }
                var word = String.UnicodeScalarView()
                word.append(contentsOf: characters[index..<end])
                tokens.append(.init(kind: .word(String(word)), column: column))
                index = end - 1
            }
            index += 1
        }
        tokens.append(.init(kind: .end, column: characters.count + 1))
        return tokens
    }

    /// Reads a quoted value starting at `start` (the opening quote); returns it and the index of the closing quote.
    private func quoted(from start: Int, quote: Unicode.Scalar) throws(SelectorError) -> (String, Int) {
        var value = String.UnicodeScalarView()
        var index = start + 1
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count {
                value.append(characters[index + 1])
                index += 2
                continue
            }
            if character == quote { return (String(value), index) }
            value.append(character)
            index += 1
        }
        throw .unterminatedString(column: start + 1)
    }

    static func isWordCharacter(_ character: Unicode.Scalar) -> Bool {
        if character.isASCII {
            if ("a"..."z").contains(character) || ("A"..."Z").contains(character) || ("0"..."9").contains(character) { return true }
        } else {
            let properties = character.properties
            if properties.isAlphabetic || properties.numericType != nil { return true }
            // Combining marks belong to the letter before them (a decomposed "é").
            switch properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: return true
            default: break
            }
        }
        switch character {
        case "-", "_", ".", "/", ":", "*", "@", "+", "~": return true
        default: return false
        }
    }
}
