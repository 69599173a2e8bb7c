import MarqueeCore

/// An in-memory grid of terminal cells: views draw into it, backends flush it.
///
/// Each cell holds one grapheme cluster and its style. A wide character (`東`) occupies its cell
/// and the next; the next cell is a *continuation* with an empty grapheme. Drawing never
/// touches the terminal, so every view can be tested and snapshotted headless.
public struct ScreenBuffer: Sendable, Equatable {
    /// One terminal cell.
    public struct Cell: Sendable, Hashable {
        /// The grapheme drawn here; empty for the right half of a wide character.
        public var grapheme: String
        /// Columns the grapheme occupies (1 or 2; 0 for a continuation).
        public var width: UInt8
        public var style: CellStyle

        public static let blank = Cell(grapheme: " ", width: 1, style: .plain)

        /// Whether this is the right half of a wide character.
        public var isContinuation: Bool { width == 0 }
    }

    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, style: CellStyle = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        var blank = Cell.blank
        blank.style = style
        cells = Array(repeating: blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Fills a rectangle with blanks in `style`.
    public mutating func fill(x: Int, y: Int, width fillWidth: Int, height fillHeight: Int, style: CellStyle) {
        var blank = Cell.blank
        blank.style = style
        for row in max(0, y)..<min(height, y + fillHeight) {
            for column in max(0, x)..<min(width, x + fillWidth) {
                cells[row * width + column] = blank
            }
        }
    }

    /// Writes `text` at (x, y) in `style`, clipped to `maxWidth` columns and the buffer's edge.
    ///
    /// - Returns: the number of columns written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: CellStyle, maxWidth: Int = .max) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = maxWidth >= width ? width : min(width, x + max(0, maxWidth))
        var column = x
        for character in text {
            let characterWidth: Int
            if let ascii = character.asciiValue {
                characterWidth = ascii < 0x20 ? 0 : 1
            } else {
                characterWidth = DisplayWidth.of(character)
            }
            if characterWidth == 0 { continue }
            if column + characterWidth > limit { break }
            if column >= 0 {
                set(x: column, y: y, Cell(grapheme: String(character), width: UInt8(characterWidth), style: style))
                if characterWidth == 2 {
                    set(x: column + 1, y: y, Cell(grapheme: "", width: 0, style: style))
                }
            }
            column += characterWidth
        }
        return column - x
    }

    /// Sets one cell, repairing any wide character it cuts in half.
    private mutating func set(x: Int, y: Int, _ cell: Cell) {
        let index = y * width + x
        let old = cells[index]
        if old.isContinuation, x > 0, cell.width != 0 {
            cells[index - 1] = Cell(grapheme: " ", width: 1, style: cells[index - 1].style)
        }
        if old.width == 2, cell.width != 2, x + 1 < width {
            cells[index + 1] = Cell(grapheme: " ", width: 1, style: cells[index + 1].style)
        }
        cells[index] = cell
    }

    /// Restyles a horizontal run of cells without changing their text.
    public mutating func restyle(x: Int, y: Int, width runWidth: Int, style: CellStyle) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, x + runWidth) {
            cells[y * width + column].style = style
        }
    }

    /// The buffer's text, one line per row, trailing spaces removed (for snapshots and `--render-once`).
    public func text() -> String {
        var lines: [String] = []
        lines.reserveCapacity(height)
        for row in 0..<height {
            var line = ""
            for column in 0..<width {
                let cell = cells[row * width + column]
                if !cell.isContinuation { line += cell.grapheme }
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Runs of cells that differ from `previous` (all cells when sizes differ), row by row.
    ///
    /// A run is a maximal stretch of changed cells on one row sharing one style; a wide character
    /// is never split from its continuation.
    public func changes(since previous: ScreenBuffer?) -> [Run] {
        let compareAll = previous == nil || previous!.width != width || previous!.height != height
        var runs: [Run] = []
        for row in 0..<height {
            var column = 0
            while column < width {
                let index = row * width + column
                if !compareAll && cells[index] == previous!.cells[index] {
                    column += 1
                    continue
                }
                var start = column
                if cells[index].isContinuation && start > 0 { start -= 1 }
                let style = cells[row * width + start].style
                var text = ""
                var end = start
                while end < width {
                    let cell = cells[row * width + end]
                    if cell.style != style { break }
                    if !compareAll && end > column && cell == previous!.cells[row * width + end] && !cell.isContinuation { break }
                    if !cell.isContinuation { text += cell.grapheme }
                    end += 1
                }
                if end == start { end = start + 1 }
                runs.append(Run(x: start, y: row, text: text, style: style, columns: end - start))
                column = end
            }
        }
        return runs
    }

    /// A horizontal stretch of cells with one style, ready to send to a terminal.
    public struct Run: Sendable, Equatable {
        public var x: Int
        public var y: Int
        public var text: String
        public var style: CellStyle
        /// Columns covered.
        public var columns: Int
    }
}
