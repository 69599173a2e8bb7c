import MarqueeCore
import Testing

@Suite struct LabelSelectorTests {
    static let stockholm: Labels = [
        "country": "SE", "city": "Stockholm", "region": "nordics", "size": "large", "screens": "14", "snackbar": "large",
    ]
    static let saoPaulo: Labels = [
        "country": "BR", "city": "São Paulo", "region": "latin-america", "size": "small", "screens": "6", "snackbar": "kiosk",
    ]

    @Test(arguments: [
        ("country = SE", true, false),
        ("country == SE", true, false),
        ("country=SE and screens>=10", true, false),
        ("country != SE", false, true),
        ("country in (SE, NO, DK)", true, false),
        ("country not in (SE, NO)", false, true),
        ("screens < 10", false, true),
        ("screens <= 14", true, true),
        ("screens > 14", false, false),
        ("screens >= 6.0", true, true),
        ("has(snackbar)", true, true),
        ("has(imax)", false, false),
        ("not has(imax)", true, true),
        ("city = \"São Paulo\"", false, true),
        ("city = 'São Paulo'", false, true),
        ("country = SE or country = BR", true, true),
        ("country = SE AND NOT (size = small)", true, false),
        ("!(country = SE) && screens < 10 || snackbar = large", true, true),
        ("(country = SE or country = BR) and (screens >= 10)", true, false),
        ("imax = true", false, false),
        ("imax != true", true, true),
        ("imax not in (true)", true, true),
        ("city < 10", false, false),
        ("region in (nordics) and size in (large)", true, false),
    ])
    func evaluatesAgainstLabels(selector: String, matchesStockholm: Bool, matchesSaoPaulo: Bool) throws {
        let compiled = try LabelSelector(selector)
        #expect(compiled.matches(Self.stockholm) == matchesStockholm)
        #expect(compiled.matches(Self.saoPaulo) == matchesSaoPaulo)
    }

    @Test(arguments: [
        ("", 1, "expected a label, 'not', 'has(' or '(', but the selector ends here"),
        ("country", 8, "expected an operator (=, !=, in, not in, <, <=, >, >=) after 'country', but the selector ends here"),
        ("country =", 10, "expected a value after '=', but the selector ends here"),
        ("country = SE and", 17, "expected a label, 'not', 'has(' or '(', but the selector ends here"),
        ("country in SE", 12, "expected '(' after 'in', found 'SE'"),
        ("country in (", 13, "expected a value after 'in (', but the selector ends here"),
        ("country in (SE", 15, "expected ',' or ')' in the 'in' list, but the selector ends here"),
        ("country in (SE,)", 16, "expected a value after ',', found ')'"),
        ("country not SE", 13, "expected 'in' after 'country not', found 'SE'"),
        ("screens >= ten", 12, "expected a number after '>=', found 'ten'"),
        ("screens > ", 11, "expected a number after '>', but the selector ends here"),
        ("(country = SE", 14, "expected ')' to close the '(' at column 1, but the selector ends here"),
        ("country = SE)", 13, "expected 'and', 'or' or the end of the selector, found ')'"),
        ("country = SE SE", 14, "expected 'and', 'or' or the end of the selector, found 'SE'"),
        ("has(", 5, "expected a label inside 'has(', but the selector ends here"),
        ("has(size", 9, "expected ')' to close 'has(size', but the selector ends here"),
        ("city = \"São", 8, "quoted value is not closed"),
        ("country # SE", 9, "unexpected character '#'"),
        ("country & SE", 9, "unexpected character '&'"),
        ("= SE", 1, "expected a label, 'not', 'has(' or '(', found '='"),
        ("São = x", 1, "expected a label, found 'São'"),
    ])
    func reportsTheColumnOfEveryError(selector: String, column: Int, message: String) {
        #expect {
            _ = try LabelSelector(selector)
        } throws: { error in
            guard let error = error as? SelectorError else { return false }
            return error.column == column && error.description == "column \(column): \(message)"
        }
    }

    @Test(arguments: [
        "country = SE and screens >= 10",
        "city = \"São Paulo\" or city in (\"Frankfurt am Main\", Zürich)",
        "not (size = small or snackbar = kiosk) and has(screens)",
        "country not in (SE, NO) and screens < 12.5",
        "name = \"and\"",
    ])
    func canonicalTextParsesToTheSameExpression(selector: String) throws {
        let compiled = try LabelSelector(selector)
        let reparsed = try LabelSelector(compiled.description)
        #expect(reparsed == compiled)
    }

    @Test func reportsTheLabelsItReads() throws {
        let selector = try LabelSelector("country = SE and (screens > 4 or not has(imax))")
        #expect(selector.labelKeys == ["country", "screens", "imax"])
    }

    @Test func keywordsAreCaseInsensitiveButValuesAreNot() throws {
        #expect(try LabelSelector("country = SE OR country = NO").matches(Self.stockholm))
        #expect(try !LabelSelector("country = se").matches(Self.stockholm))
    }
}
