import Foundation

/// The syntax tree of a parsed label selector.
///
/// Semantics follow Kubernetes label selectors where they overlap: `!=` and `not in` also match
/// sites that lack the label; numeric comparisons match only when the label's value is a number.
public indirect enum SelectorExpression: Sendable, Equatable {
    /// Comparison operators over numeric label values.
    public enum NumericComparison: String, Sendable, Equatable {
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="

        func holds(_ lhs: Double, _ rhs: Double) -> Bool {
            switch self {
            case .less: lhs < rhs
            case .lessOrEqual: lhs <= rhs
            case .greater: lhs > rhs
            case .greaterOrEqual: lhs >= rhs
            }
        }
    }

    case equals(label: String, value: String)
    case notEquals(label: String, value: String)
    case isIn(label: String, values: [String])
    case notIn(label: String, values: [String])
    case compare(label: String, comparison: NumericComparison, value: Double)
    case has(label: String)
    case not(SelectorExpression)
    case and([SelectorExpression])
    case or([SelectorExpression])
}

extension SelectorExpression: CustomStringConvertible {
    /// Canonical text of the expression; parsing it yields an equal expression.
    public var description: String {
        switch self {
        case .equals(let label, let value): "\(label) = \(Self.quoteIfNeeded(value))"
        case .notEquals(let label, let value): "\(label) != \(Self.quoteIfNeeded(value))"
        case .isIn(let label, let values): "\(label) in (\(values.map(Self.quoteIfNeeded).joined(separator: ", ")))"
        case .notIn(let label, let values):
            "\(label) not in (\(values.map(Self.quoteIfNeeded).joined(separator: ", ")))"
        case .compare(let label, let comparison, let value): "\(label) \(comparison.rawValue) \(Self.format(value))"
        case .has(let label): "has(\(label))"
        case .not(let inner): "not \(inner.parenthesizedIfCompound)"
        case .and(let terms): terms.map(\.parenthesizedIfCompound).joined(separator: " and ")
        case .or(let terms): terms.map(\.parenthesizedIfCompound).joined(separator: " or ")
        }
    }

    private var parenthesizedIfCompound: String {
        switch self {
        case .and, .or: "(\(description))"
        default: description
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static func quoteIfNeeded(_ value: String) -> String {
        let keywords: Set<String> = ["and", "or", "not", "in", "has"]
        let bare =
            !value.isEmpty && value.unicodeScalars.allSatisfy(SelectorLexer.isWordCharacter) && !keywords.contains(value.lowercased())
        return bare ? value : "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
