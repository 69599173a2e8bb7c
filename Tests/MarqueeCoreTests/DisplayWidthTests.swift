import MarqueeCore
import Testing

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("Zürich", 6), ("København", 9), ("São Paulo", 9), ("東京", 4), ("서울", 4), ("e\u{301}", 1), ("ＡＢ", 4),
        ("🎬", 2), ("İstanbul", 8), ("", 0),
    ])
    func measuresColumns(text: String, width: Int) {
        #expect(text.displayWidth == width)
    }

    @Test func truncatesByColumnsWithAnEllipsis() {
        #expect("東京 Plaza".truncated(toWidth: 4) == "東…")
        #expect("Zürich".truncated(toWidth: 6) == "Zürich")
        #expect("Zürich".padded(toWidth: 8) == "Zürich  ")
        #expect("14".padded(toWidth: 4, alignRight: true) == "  14")
    }

    @Test func alignsTableColumnsByDisplayWidth() {
        var table = TextTable(columns: [.init("CITY"), .init("SCREENS", alignRight: true)])
        table.append(["Zürich", "12"])
        table.append(["東京", "8"])
        table.append(["København", "30"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(Set(lines.map(\.displayWidth)).count == 1)
        #expect(lines[2] == "東京             8")
    }
}
