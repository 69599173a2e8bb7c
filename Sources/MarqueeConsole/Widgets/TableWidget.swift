import Foundation
import MarqueeCore

/// Draws a ``TableView`` into a buffer: a header row and only the visible rows (virtual scrolling).
enum TableWidget {
    /// Width of the mark gutter at the left of every row.
    static let gutter = 2

    /// Which columns fit in `width`, and how wide each is: low-priority columns drop out first.
    static func layout(_ model: TableModel, width: Int) -> [(column: Int, width: Int)] {
        var shown = Array(model.columns.indices)
        func total(_ columns: [Int], shrinking: Bool = false) -> Int {
            columns.reduce(gutter) { sum, column in
                let content = model.contentWidths[column]
                return sum + (shrinking && model.columns[column].flexible ? min(content, TableColumn.flexibleMinimum) : content)
            } + max(0, columns.count - 1) * 2
        }
        while total(shown, shrinking: true) > width, shown.count > 1 {
            guard let drop = shown.max(by: { (model.columns[$0].priority, $0) < (model.columns[$1].priority, $1) }) else { break }
            shown.removeAll { $0 == drop }
        }
        var widths = shown.map { model.contentWidths[$0] }
        var overflow = total(shown) - width
        while overflow > 0, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > 4 {
            widths[widest] -= 1
            overflow -= 1
        }
        return Array(zip(shown, widths))
    }

    static func draw(
        _ table: TableView, screen: Screen, into buffer: inout ScreenBuffer, top: Int, height: Int, theme: ResolvedTheme
    ) {
        let width = buffer.width
        guard height > 0 else { return }
        let layout = layout(table.model, width: width)
        buffer.fill(x: 0, y: top, width: width, height: 1, style: theme[.tableHeader])
        var x = gutter
        for (column, columnWidth) in layout {
            let spec = table.model.columns[column]
            var title = spec.title
            var style = theme[.tableHeader]
            if let sort = screen.sort, sort.column == column {
                title += sort.ascending ? "↑" : "↓"
                style = theme[.tableSorter]
            }
            buffer.write(title.padded(toWidth: columnWidth, alignRight: spec.alignRight), x: x, y: top, style: style)
            x += columnWidth + 2
        }
        let rowsHeight = height - 1
        if table.count == 0 {
            buffer.fill(x: 0, y: top + 1, width: width, height: rowsHeight, style: theme[.tableRow])
            let message =
                table.filterError.map { "filter error: \($0)" } ?? (table.model.rows.isEmpty ? "nothing here yet" : "no rows match the filter")
            buffer.write(message, x: gutter, y: top + 1, style: theme[table.filterError == nil ? .statusUnknown : .flashError])
            return
        }
        for line in 0..<rowsHeight {
            let position = screen.offset + line
            let y = top + 1 + line
            guard let row = table.row(at: position) else {
                buffer.fill(x: 0, y: y, width: width, height: 1, style: theme[.tableRow])
                continue
            }
            let isCursor = position == screen.cursor
            let isMarked = screen.marks.contains(row.id)
            let base = isCursor ? theme[.tableCursor] : theme[.tableRow]
            buffer.fill(x: 0, y: y, width: width, height: 1, style: base)
            if isMarked { buffer.write("*", x: 0, y: y, style: isCursor ? base : theme[.tableMark]) }
            var x = gutter
            for (column, columnWidth) in layout {
                let spec = table.model.columns[column]
                let text = column < row.cells.count ? row.cells[column] : ""
                var style = base
                if !isCursor {
                    if isMarked {
                        style = theme[.tableMark]
                    } else if let role = row.styles[column] {
                        style = theme[role]
                    }
                }
                // The row is already blank in its base style: write the text once, no padding strings.
                var shown = text
                var textWidth = shown.displayWidth
                if textWidth > columnWidth {
                    shown = shown.truncated(toWidth: columnWidth)
                    textWidth = shown.displayWidth
                }
                let start = spec.alignRight ? x + columnWidth - textWidth : x
                buffer.write(shown, x: start, y: y, style: style, maxWidth: columnWidth)
                if let highlight = row.highlight, !isCursor {
                    Self.emphasise(highlight, in: shown, x: start, y: y, style: theme[.tableMatch], buffer: &buffer)
                }
                x += columnWidth + 2
            }
        }
    }

    /// Draws every occurrence of `needle` in `shown` (already written at `x`) again in `style`.
    static func emphasise(_ needle: String, in shown: String, x: Int, y: Int, style: CellStyle, buffer: inout ScreenBuffer) {
        var searchRange = shown.startIndex..<shown.endIndex
        while let found = shown.range(of: needle, options: .caseInsensitive, range: searchRange) {
            let offset = String(shown[shown.startIndex..<found.lowerBound]).displayWidth
            buffer.write(String(shown[found]), x: x + offset, y: y, style: style)
            searchRange = found.upperBound..<shown.endIndex
            if found.isEmpty { break }
        }
    }
}
