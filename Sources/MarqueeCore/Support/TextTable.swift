/// A plain-text table aligned by terminal display width, for CLI output.
///
/// ```swift
/// var table = TextTable(columns: [.init("ID"), .init("SCREENS", alignRight: true)])
/// table.append(["se-sto-012", "14"])
/// print(table.render())
/// ```
public struct TextTable: Sendable {
    /// One column's header and alignment.
    public struct Column: Sendable {
        public var header: String
        public var alignRight: Bool
        public init(_ header: String, alignRight: Bool = false) {
            self.header = header
            self.alignRight = alignRight
        }
    }

    public var columns: [Column]
    public private(set) var rows: [[String]] = []

    public init(columns: [Column]) {
        self.columns = columns
    }

    /// Adds a row; missing cells are blank, extra cells are ignored.
    public mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The table as lines separated by `\n`, columns two spaces apart, no trailing spaces.
    public func render() -> String {
        var widths = columns.map { $0.header.displayWidth }
        for row in rows {
            for (index, cell) in row.prefix(columns.count).enumerated() {
                widths[index] = max(widths[index], cell.displayWidth)
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, column) in columns.enumerated() {
                let cell = index < cells.count ? cells[index] : ""
                parts.append(cell.padded(toWidth: widths[index], alignRight: column.alignRight))
            }
            return String(parts.joined(separator: "  ").reversed().drop(while: { $0 == " " }).reversed())
        }
        return ([line(columns.map(\.header))] + rows.map(line)).joined(separator: "\n")
    }
}
