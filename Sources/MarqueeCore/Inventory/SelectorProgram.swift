/// The evaluable form of a selector: `in` lists become sets, nesting is flattened.
///
/// Built once by ``LabelSelector/init(_:)``; evaluation does no parsing and no allocation.
struct SelectorProgram: Sendable {
    private indirect enum Node: Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case oneOf(String, Set<String>)
        case noneOf(String, Set<String>)
        case compare(String, SelectorExpression.NumericComparison, Double)
        case has(String)
        case not(Node)
        case all([Node])
        case any([Node])
    }

    private let root: Node
    let labelKeys: Set<String>

    init(_ expression: SelectorExpression) {
        var keys: Set<String> = []
        root = Self.compile(expression, keys: &keys)
        labelKeys = keys
    }

    private static func compile(_ expression: SelectorExpression, keys: inout Set<String>) -> Node {
        switch expression {
        case .equals(let label, let value):
            keys.insert(label)
            return .equals(label, value)
        case .notEquals(let label, let value):
            keys.insert(label)
            return .notEquals(label, value)
        case .isIn(let label, let values):
            keys.insert(label)
            return values.count == 1 ? .equals(label, values[0]) : .oneOf(label, Set(values))
        case .notIn(let label, let values):
            keys.insert(label)
            return values.count == 1 ? .notEquals(label, values[0]) : .noneOf(label, Set(values))
        case .compare(let label, let comparison, let value):
            keys.insert(label)
            return .compare(label, comparison, value)
        case .has(let label):
            keys.insert(label)
            return .has(label)
        case .not(let inner):
            return .not(compile(inner, keys: &keys))
        case .and(let terms):
            return .all(terms.map { compile($0, keys: &keys) })
        case .or(let terms):
            return .any(terms.map { compile($0, keys: &keys) })
        }
    }

    func evaluate(_ labels: Labels) -> Bool {
        Self.evaluate(root, labels)
    }

    private static func evaluate(_ node: Node, _ labels: Labels) -> Bool {
        switch node {
        case .equals(let label, let value):
            return labels[label] == value
        case .notEquals(let label, let value):
            return labels[label] != value
        case .oneOf(let label, let values):
            guard let actual = labels[label] else { return false }
            return values.contains(actual)
        case .noneOf(let label, let values):
            guard let actual = labels[label] else { return true }
            return !values.contains(actual)
        case .compare(let label, let comparison, let value):
            guard let actual = labels[label], let number = Double(actual) else { return false }
            return comparison.holds(number, value)
        case .has(let label):
            return labels[label] != nil
        case .not(let inner):
            return !evaluate(inner, labels)
        case .all(let terms):
            for term in terms where !evaluate(term, labels) { return false }
            return true
        case .any(let terms):
            for term in terms where evaluate(term, labels) { return true }
            return false
        }
    }
}
