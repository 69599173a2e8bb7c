import MarqueeCore

/// An in-memory grid of terminal cells: views draw into it, backends flush it.
///
/// Each cell holds one grapheme cluster and its style. A wide character (`東`) occupies its cell
/// and the next; the next cell is a *continuation* with no grapheme of its own. Drawing never
/// touches the terminal, so every view can be tested and snapshotted headless.
///
/// Cells are plain values (no reference counting): a grapheme of one Unicode scalar, which is
/// nearly every grapheme on screen, is stored inline; the rare longer cluster (a letter with a
/// combining mark, an emoji sequence) lives in a side table. Copying and comparing frames is
/// therefore cheap, which is what keeps a frame under a millisecond.
public struct ScreenBuffer: Sendable, Equatable {
    /// One terminal cell.
    public struct Cell: Sendable, Hashable {
        /// The grapheme's first (usually only) scalar; NUL for a continuation.
        var scalar: Unicode.Scalar
        /// 1-based index into the buffer's cluster table for multi-scalar graphemes; 0 otherwise.
        var cluster: UInt32
        /// Columns the grapheme occupies (1 or 2; 0 for a continuation).
        public var width: UInt8
        public var style: CellStyle

        static let blank = Cell(scalar: " ", cluster: 0, width: 1, style: .plain)

        /// Whether this is the right half of a wide character.
        public var isContinuation: Bool { width == 0 }
    }

    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Graphemes of more than one scalar, referenced by ``Cell/cluster``.
    private var clusters: [String] = []

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

    /// The grapheme drawn at (x, y); empty for the right half of a wide character.
    public func grapheme(x: Int, y: Int) -> String {
        grapheme(of: cells[y * width + x])
    }

    private func grapheme(of cell: Cell) -> String {
        if cell.isContinuation { return "" }
        if cell.cluster > 0 { return clusters[Int(cell.cluster) - 1] }
        return String(Character(cell.scalar))
    }

    private func append(_ cell: Cell, to text: inout String) {
        if cell.isContinuation { return }
        if cell.cluster > 0 {
            text += clusters[Int(cell.cluster) - 1]
        } else {
            text.unicodeScalars.append(cell.scalar)
        }
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
        if let written = writeASCII(text, x: x, y: y, style: style, limit: limit) { return written }
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
                let scalars = character.unicodeScalars
                var cell = Cell(scalar: scalars.first ?? " ", cluster: 0, width: UInt8(characterWidth), style: style)
                if scalars.count > 1 {
                    clusters.append(String(character))
                    cell.cluster = UInt32(clusters.count)
                }
                set(x: column, y: y, cell)
                if characterWidth == 2 {
                    set(x: column + 1, y: y, Cell(scalar: "\0", cluster: 0, width: 0, style: style))
                }
            }
            column += characterWidth
        }
        return column - x
    }

    /// The fast path for plain ASCII text (most of every frame): one cell per byte, no grapheme breaking.
    /// Returns `nil` when the text is not plain printable ASCII.
    private mutating func writeASCII(_ text: String, x: Int, y: Int, style: CellStyle, limit: Int) -> Int? {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        var column = x
        for byte in utf8 {
            if column >= limit { break }
            if column >= 0 {
                set(x: column, y: y, Cell(scalar: Unicode.Scalar(byte), cluster: 0, width: 1, style: style))
            }
            column += 1
        }
        return column - x
    }

    /// Sets one cell, repairing any wide character it cuts in half.
    private mutating func set(x: Int, y: Int, _ cell: Cell) {
        let index = y * width + x
        let old = cells[index]
        if old.isContinuation, x > 0, cell.width != 0 {
            cells[index - 1] = Cell(scalar: " ", cluster: 0, width: 1, style: cells[index - 1].style)
        }
        if old.width == 2, cell.width != 2, x + 1 < width {
            cells[index + 1] = Cell(scalar: " ", cluster: 0, width: 1, style: cells[index + 1].style)
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
            for column in 0..<width { append(cells[row * width + column], to: &line) }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Whether cell `index` looks the same here and in `other`.
    private func same(_ index: Int, as other: ScreenBuffer) -> Bool {
        let mine = cells[index]
        let theirs = other.cells[index]
        if mine.cluster == 0 && theirs.cluster == 0 { return mine == theirs }
        return mine.width == theirs.width && mine.style == theirs.style && grapheme(of: mine) == other.grapheme(of: theirs)
    }

    public static func == (lhs: ScreenBuffer, rhs: ScreenBuffer) -> Bool {
        lhs.width == rhs.width && lhs.height == rhs.height && lhs.cells.indices.allSatisfy { lhs.same($0, as: rhs) }
    }

    /// Runs of cells that differ from `previous` (all cells when sizes differ), row by row.
    ///
    /// A run is a maximal stretch of changed cells on one row sharing one style; a wide character
    /// is never split from its continuation.
    public func changes(since previous: ScreenBuffer?) -> [Run] {
        var comparable: ScreenBuffer?
        if let previous, previous.width == width, previous.height == height { comparable = previous }
        var runs: [Run] = []
        for row in 0..<height {
            var column = 0
            while column < width {
                let index = row * width + column
                if let comparable, same(index, as: comparable) {
                    column += 1
                    continue
                }
                var start = column
                if cells[index].isContinuation && start > 0 { start -= 1 }
                let style = cells[row * width + start].style
                var text = ""
                var end = start
                while end < width {
                    let cellIndex = row * width + end
                    let cell = cells[cellIndex]
                    if cell.style != style { break }
                    if let comparable, end > column, !cell.isContinuation, same(cellIndex, as: comparable) { break }
                    append(cell, to: &text)
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
