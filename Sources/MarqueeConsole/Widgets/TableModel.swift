import Foundation
import MarqueeCore

/// A column of a console table.
public struct TableColumn: Sendable, Hashable {
    public var title: String
    public var alignRight: Bool
    /// Uppercase letter that sorts by this column (Shift+letter); never `G`.
    public var sortKey: Character?
    /// Lower numbers are dropped last when the terminal is narrow.
    public var priority: Int
    /// Maximum width; wider cells are truncated with `…`.
    public var maxWidth: Int
    /// Sort numbers descending first (counts, screens) rather than ascending.
    public var numeric: Bool
    /// Shrinks (down to ``flexibleMinimum``) before other columns are dropped: long free text such as a reason.
    public var flexible: Bool

    /// The narrowest a flexible column gets before columns are dropped.
    public static let flexibleMinimum = 40

    public init(
        _ title: String, alignRight: Bool = false, sortKey: Character? = nil, priority: Int = 0, maxWidth: Int = 40, numeric: Bool = false,
        flexible: Bool = false
    ) {
        self.flexible = flexible
        self.title = title
        self.alignRight = alignRight
        self.sortKey = sortKey
        self.priority = priority
        self.maxWidth = maxWidth
        self.numeric = numeric
    }
}

/// A value rows are sorted by.
public enum SortValue: Comparable, Sendable, Hashable {
    case number(Double)
    case text(String)

    public static func < (lhs: SortValue, rhs: SortValue) -> Bool {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)): a < b
        case (.text(let a), .text(let b)): a.localizedStandardCompareLess(b)
        case (.number, .text): true
        case (.text, .number): false
        }
    }
}

extension String {
    fileprivate func localizedStandardCompareLess(_ other: String) -> Bool {
        lowercased() < other.lowercased()
    }
}

/// One row: an id (what Enter opens, what Space marks), its cells, and per-cell styles.
public struct TableRow: Sendable, Hashable {
    public var id: String
    public var cells: [String]
    /// Style per cell; `nil` uses the table's row style.
    public var styles: [StyleRole?]
    /// Sort value per cell.
    public var sortValues: [SortValue]
    /// Labels of the site this row belongs to, for selector filters.
    public var labels: Labels?
    /// Lower-cased text of all cells, for substring filters.
    public let searchText: String
    /// Text drawn emphasised wherever it occurs in a cell (case-insensitive): a search's matches.
    public var highlight: String?

    public init(
        id: String, cells: [String], styles: [StyleRole?] = [], sortValues: [SortValue] = [], labels: Labels? = nil, highlight: String? = nil
    ) {
        self.id = id
        self.highlight = highlight.flatMap { $0.isEmpty ? nil : $0 }
        self.cells = cells
        self.styles = styles.isEmpty ? Array(repeating: nil, count: cells.count) : styles
        self.sortValues = sortValues.isEmpty ? cells.map { .text($0) } : sortValues
        self.labels = labels
        self.searchText = ([id] + cells).joined(separator: " ").lowercased()
    }
}

/// A table's columns with all its rows in natural order, plus the widths its content needs.
public struct TableModel: Sendable, Hashable {
    public var columns: [TableColumn]
    public var rows: [TableRow]
    /// Widest cell (or title) per column, capped by the column's `maxWidth`.
    public let contentWidths: [Int]

    public init(columns: [TableColumn], rows: [TableRow]) {
        self.columns = columns
        self.rows = rows
        var widths = columns.map { $0.title.displayWidth + 1 }
        for row in rows {
            for (index, cell) in row.cells.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.displayWidth)
            }
        }
        contentWidths = zip(widths, columns).map { min($0, $1.maxWidth) }
    }

    public static let empty = TableModel(columns: [], rows: [])
}

/// The rows a screen shows: its model filtered and sorted, with a filter error if any.
public struct TableView: Sendable, Hashable {
    public var model: TableModel
    /// Positions into `model.rows`, in display order.
    public var visible: [Int]
    /// Why the filter could not be applied (a malformed selector), shown instead of filtering.
    public var filterError: String?

    /// Filters and sorts `model`.
    ///
    /// A filter containing `=`, `<`, `>` , ` in ` or `has(` is a label selector over each row's site
    /// labels; anything else is a case-insensitive substring match over the row's text.
    public init(model: TableModel, filter: String, sort: SortOrder?) {
        self.model = model
        var indices = Array(model.rows.indices)
        let trimmed = filter.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty {
            if Self.looksLikeSelector(trimmed) && model.rows.contains(where: { $0.labels != nil }) {
                do {
                    let selector = try LabelSelector(trimmed)
                    indices = indices.filter { model.rows[$0].labels.map(selector.matches) ?? false }
                } catch {
                    // Show nothing rather than everything: an unfiltered list would look like an answer.
                    filterError = "\(error)"
                    indices = []
                }
            } else {
                let needle = trimmed.lowercased()
                indices = indices.filter { model.rows[$0].searchText.contains(needle) }
            }
        }
        if let sort, sort.column < model.columns.count {
            let column = sort.column
            indices.sort { a, b in
                let left = model.rows[a].sortValues[column]
                let right = model.rows[b].sortValues[column]
                if left == right { return a < b }
                return sort.ascending ? left < right : right < left
            }
        }
        visible = indices
    }

    static func looksLikeSelector(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return text.contains("=") || text.contains("<") || text.contains(">") || lowered.contains(" in ")
            || lowered.contains("has(")
    }

    public var count: Int { visible.count }

    public func row(at position: Int) -> TableRow? {
        position >= 0 && position < visible.count ? model.rows[visible[position]] : nil
    }
}
