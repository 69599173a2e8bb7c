/// Many sites' labels in columnar, interned form, for evaluating many selectors against many sites.
///
/// Placement evaluates every deployment's selector against every site. Dictionary lookups and string
/// comparisons dominate that (~200 ns per evaluation); here each label value becomes a small integer
/// code, and a selector is bound once to per-code lookup tables, so evaluating it for a site is a few
/// array reads. Build the index once per inventory change; bind each selector once.
///
/// ```swift
/// let index = LabelIndex(sites.map(\.labels))
/// let rows = index.bind(selector).matchingRows()   // positions in `sites`
/// ```
public struct LabelIndex: Sendable {
    /// Label key → column number.
    private let columns: [String: Int]
    /// Per column: value → code.
    private let codes: [[String: Int32]]
    /// Per column: code → value.
    private let values: [[String]]
    /// Row-major codes, `columns.count` per row; `-1` where the row lacks the label.
    private let cells: [Int32]

    /// Number of label sets (rows) in the index.
    public let count: Int

    /// Indexes `labelSets`; row `i` is `labelSets[i]`.
    public init(_ labelSets: [Labels]) {
        var columns: [String: Int] = [:]
        for labels in labelSets {
            for key in labels.keys where columns[key] == nil { columns[key] = columns.count }
        }
        var codes = [[String: Int32]](repeating: [:], count: columns.count)
        var values = [[String]](repeating: [], count: columns.count)
        var cells = [Int32](repeating: -1, count: labelSets.count * columns.count)
        for (row, labels) in labelSets.enumerated() {
            for (key, value) in labels {
                let column = columns[key]!
                let code: Int32
                if let existing = codes[column][value] {
                    code = existing
                } else {
                    code = Int32(values[column].count)
                    codes[column][value] = code
                    values[column].append(value)
                }
                cells[row * columns.count + column] = code
            }
        }
        self.columns = columns
        self.codes = codes
        self.values = values
        self.cells = cells
        self.count = labelSets.count
    }

    /// Binds `selector` to this index for fast evaluation.
    public func bind(_ selector: LabelSelector) -> BoundSelector {
        BoundSelector(root: bind(selector.expression), cells: cells, stride: columns.count, count: count)
    }

    /// Rows (positions in the indexed label sets) that `selector` matches, ascending.
    public func matchingRows(_ selector: LabelSelector) -> [Int] {
        bind(selector).matchingRows()
    }

    private func bind(_ expression: SelectorExpression) -> BoundSelector.Node {
        switch expression {
        case .equals(let label, let value): return leaf(label, absent: false) { $0 == value }
        case .notEquals(let label, let value): return leaf(label, absent: true) { $0 != value }
        case .isIn(let label, let list):
            let set = Set(list)
            return leaf(label, absent: false) { set.contains($0) }
        case .notIn(let label, let list):
            let set = Set(list)
            return leaf(label, absent: true) { !set.contains($0) }
        case .compare(let label, let comparison, let number):
            return leaf(label, absent: false) { value in Double(value).map { comparison.holds($0, number) } ?? false }
        case .has(let label): return leaf(label, absent: false) { _ in true }
        case .not(let inner): return .not(bind(inner))
        case .and(let terms): return .all(terms.map(bind))
        case .or(let terms): return .any(terms.map(bind))
        }
    }

    /// A leaf test: the label's column and, for every code in it, whether the test holds.
    private func leaf(_ label: String, absent: Bool, _ test: (String) -> Bool) -> BoundSelector.Node {
        guard let column = columns[label] else { return .constant(absent) }
        return .test(column: column, accepts: values[column].map(test), absent: absent)
    }
}

/// A selector bound to a ``LabelIndex``: evaluation is array reads, no hashing, no string comparison.
public struct BoundSelector: Sendable {
    indirect enum Node: Sendable {
        case test(column: Int, accepts: [Bool], absent: Bool)
        case constant(Bool)
        case not(Node)
        case all([Node])
        case any([Node])
    }

    let root: Node
    let cells: [Int32]
    let stride: Int
    /// Rows in the index.
    public let count: Int

    /// Whether row `row` of the index matches.
    public func matches(row: Int) -> Bool {
        cells.withUnsafeBufferPointer { buffer in
            Self.evaluate(root, buffer, base: row * stride)
        }
    }

    /// Every matching row, ascending.
    public func matchingRows() -> [Int] {
        cells.withUnsafeBufferPointer { buffer in
            var rows: [Int] = []
            for row in 0..<count where Self.evaluate(root, buffer, base: row * stride) { rows.append(row) }
            return rows
        }
    }

    /// Number of matching rows.
    public func matchCount() -> Int {
        cells.withUnsafeBufferPointer { buffer in
            var matches = 0
            for row in 0..<count where Self.evaluate(root, buffer, base: row * stride) { matches += 1 }
            return matches
        }
    }

    private static func evaluate(_ node: Node, _ cells: UnsafeBufferPointer<Int32>, base: Int) -> Bool {
        switch node {
        case .test(let column, let accepts, let absent):
            let code = cells[base + column]
            return code < 0 ? absent : accepts[Int(code)]
        case .constant(let value):
            return value
        case .not(let inner):
            return !evaluate(inner, cells, base: base)
        case .all(let terms):
            for term in terms where !evaluate(term, cells, base: base) { return false }
            return true
        case .any(let terms):
            for term in terms where evaluate(term, cells, base: base) { return true }
            return false
        }
    }
}
