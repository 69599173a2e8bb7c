import MarqueeConsole
import Testing

@Suite struct ScreenBufferTests {
    @Test func wideCharactersTakeTwoCellsAndAlign() {
        var buffer = ScreenBuffer(width: 10, height: 2)
        #expect(buffer.write("東京 ok", x: 0, y: 0, style: .plain) == 7)
        #expect(buffer.grapheme(x: 0, y: 0) == "東" && buffer[0, 0].width == 2)
        #expect(buffer[1, 0].isContinuation)
        #expect(buffer.grapheme(x: 4, y: 0) == " ")
        buffer.write("Zürich", x: 0, y: 1, style: .plain)
        #expect(buffer.text() == "東京 ok\nZürich")
    }

    @Test func aWideCharacterThatDoesNotFitIsLeftOut() {
        var buffer = ScreenBuffer(width: 3, height: 1)
        buffer.write("a東京", x: 0, y: 0, style: .plain)
        #expect(buffer.text() == "a東")
        var clipped = ScreenBuffer(width: 10, height: 1)
        #expect(clipped.write("東京", x: 0, y: 0, style: .plain, maxWidth: 3) == 2)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = ScreenBuffer(width: 4, height: 1)
        buffer.write("東京", x: 0, y: 0, style: .plain)
        buffer.write("x", x: 1, y: 0, style: .plain)
        #expect(buffer.text() == " x京")
    }

    @Test func combiningMarksStayWithTheirLetter() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.write("Sa\u{0303}o", x: 0, y: 0, style: .plain)
        #expect(buffer.text() == "Sa\u{0303}o")
        #expect(buffer.grapheme(x: 2, y: 0) == "o")
    }

    @Test func changesCoverOnlyWhatDiffers() {
        var before = ScreenBuffer(width: 20, height: 5)
        for row in 0..<5 { before.write("row \(row) unchanged", x: 0, y: row, style: .plain) }
        var after = before
        after.write("ROW", x: 0, y: 3, style: .plain)
        let runs = after.changes(since: before)
        #expect(runs.count == 1)
        #expect(runs[0].y == 3 && runs[0].x == 0 && runs[0].text == "ROW")
        #expect(after.changes(since: after).isEmpty)
        #expect(after.changes(since: nil).reduce(0) { $0 + $1.columns } == 100)
    }

    @Test func changedWideCharactersAreSentWhole() {
        var before = ScreenBuffer(width: 6, height: 1)
        before.write("ab東", x: 0, y: 0, style: .plain)
        var after = before
        after.write("京", x: 2, y: 0, style: .plain)
        let runs = after.changes(since: before)
        #expect(runs.map(\.text) == ["京"])
        #expect(runs[0].columns == 2)
    }
}
