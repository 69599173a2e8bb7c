import MarqueeConsole
import MarqueeCore
import Testing

/// Golden frames of every view at 80×24 and 160×48, rendered headless.
@Suite struct ConsoleSnapshotTests {
    static let views: [(String, ScreenKind)] = [
        ("countries", .countries), ("sites", .sites(country: nil)), ("sites-SE", .sites(country: "SE")),
        ("site", .site("se-sto-006")), ("hosts", .hosts), ("host", .host("se-sto-006-h1")), ("events", .events),
        ("pending", .pendingHosts),
    ]

    @Test(arguments: [(80, 24), (160, 48)])
    func everyView(width: Int, height: Int) async throws {
        for (name, kind) in Self.views {
            let state = try await ConsoleFixture.state(view: kind, width: width, height: height)
            try ConsoleFixture.assertSnapshot(ConsoleFixture.text(state), named: "\(name)-\(width)x\(height)")
        }
    }

    @Test func helpOverlay() async throws {
        var state = try await ConsoleFixture.state(width: 100, height: 32)
        ConsoleFixture.type("?", into: &state)
        try ConsoleFixture.assertSnapshot(ConsoleFixture.text(state), named: "help-100x32")
    }

    @Test func commandPromptWithSuggestions() async throws {
        var state = try await ConsoleFixture.state(width: 100, height: 30)
        ConsoleFixture.type(":site se-st", into: &state)
        try ConsoleFixture.assertSnapshot(ConsoleFixture.text(state), named: "command-prompt-100x30")
    }

    @Test func selectorFilterOnTheaters() async throws {
        var state = try await ConsoleFixture.state(view: .sites(country: nil), width: 120, height: 30)
        ConsoleFixture.type("/country=SE and screens>=10<enter>", into: &state)
        try ConsoleFixture.assertSnapshot(ConsoleFixture.text(state), named: "sites-filtered-120x30")
    }

    @Test func tooSmall() async throws {
        let state = try await ConsoleFixture.state(width: 79, height: 24)
        try ConsoleFixture.assertSnapshot(ConsoleFixture.text(state), named: "too-small-79x24")
    }

    @Test func writeModeBadgeAndDialog() async throws {
        let state = try await ConsoleFixture.state(width: 100, height: 30, readOnly: false)
        var buffer = ConsoleView.render(state, theme: ConsoleFixture.mono)
        let dialog = Dialog(
            title: "Lock down se-sto-006?", message: ["Revokes the site's host credentials and seals its secrets."],
            typedConfirmation: "se-sto-006", dangerous: true)
        dialog.draw(into: &buffer, theme: ConsoleFixture.mono)
        try ConsoleFixture.assertSnapshot(buffer.text(), named: "write-dialog-100x30")
    }

    @Test func theCursorRowCarriesTheCursorStyle() async throws {
        let state = try await ConsoleFixture.state(width: 120, height: 30)
        let buffer = ConsoleView.render(state, theme: ConsoleFixture.colour)
        let firstRow = state.tableArea.top + 1
        #expect(buffer[3, firstRow].style == ConsoleFixture.colour[.tableCursor])
        #expect(buffer[3, firstRow + 1].style != ConsoleFixture.colour[.tableCursor])
    }

    @Test func approvingAPendingHostAsksFirst() async throws {
        var state = try await ConsoleFixture.state(view: .pendingHosts, width: 120, height: 30, readOnly: false)
        ConsoleFixture.type("r", into: &state)
        try ConsoleFixture.assertSnapshot(ConsoleFixture.text(state), named: "pending-reject-120x30")
    }
}
