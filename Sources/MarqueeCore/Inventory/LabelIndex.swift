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
    ///
    /// Evaluates column-wise: each leaf becomes a bit set over all rows in one pass down its column,
    /// and `and`/`or`/`not` combine 64 rows per instruction, so a selector costs about one array read
    /// per leaf per row.
    public func matchingRows() -> [Int] {
        let bits = cells.withUnsafeBufferPointer { buffer in Self.evaluateAll(root, buffer, stride: stride, count: count) }
        var rows: [Int] = []
        for (word, value) in bits.enumerated() {
            var remaining = value
            while remaining != 0 {
                rows.append(word << 6 + remaining.trailingZeroBitCount)
                remaining &= remaining - 1
            }
        }
        return rows
    }

    /// Number of matching rows.
    public func matchCount() -> Int {
        let bits = cells.withUnsafeBufferPointer { buffer in Self.evaluateAll(root, buffer, stride: stride, count: count) }
        return bits.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// The rows a node accepts as a bit set (bit `row % 64` of word `row / 64`); bits past `count` are clear.
    private static func evaluateAll(_ node: Node, _ cells: UnsafeBufferPointer<Int32>, stride: Int, count: Int) -> [UInt64] {
        let words = (count + 63) >> 6
        switch node {
        case .test(let column, let accepts, let absent):
            var bits = [UInt64](repeating: 0, count: words)
            accepts.withUnsafeBufferPointer { accepts in
                var position = column
                for row in 0..<count {
                    let code = cells[position]
                    position += stride
                    if code < 0 ? absent : accepts[Int(code)] { bits[row >> 6] |= 1 << UInt64(row & 63) }
                }
            }
            return bits
        case .constant(let value):
            return value ? allRows(count) : [UInt64](repeating: 0, count: words)
        case .not(let inner):
            var bits = evaluateAll(inner, cells, stride: stride, count: count)
            let all = allRows(count)
            for word in bits.indices { bits[word] = ~bits[word] & all[word] }
            return bits
        case .all(let terms):
            var bits = allRows(count)
            for term in terms {
                let other = evaluateAll(term, cells, stride: stride, count: count)
                for word in bits.indices { bits[word] &= other[word] }
            }
            return bits
        case .any(let terms):
            var bits = [UInt64](repeating: 0, count: words)
            for term in terms {
                let other = evaluateAll(term, cells, stride: stride, count: count)
                for word in bits.indices { bits[word] |= other[word] }
            }
            return bits
        }
    }

    /// A bit set with the first `count` bits set.
    private static func allRows(_ count: Int) -> [UInt64] {
        var bits = [UInt64](repeating: .max, count: (count + 63) >> 6)
        if count & 63 != 0 { bits[bits.count - 1] = (1 << UInt64(count & 63)) - 1 }
        return bits
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
