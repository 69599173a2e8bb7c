import Foundation
import MarqueeConsole
import MarqueeCore
import MarqueeTestSupport
import Testing

/// `v` opens the Logs view of the selection: presets, follow and pause, timestamps, wrap, save,
/// an absolute range, severity colours and matches.
@Suite struct LogsViewTests {
    static func line(_ id: Int64, _ severity: LogSeverity, _ message: String, container: String, at time: Date) -> LogLine {
        LogLine(
            id: id, time: time, severity: severity, layer: .app, source: "stdout", message: message, siteID: "s", hostID: "h", container: container,
            kernel: "6.1.0-18-amd64", runtime: "containerd 1.7.13")
    }

    @Test func theLogsViewLoadsFollowsAndSaves() async throws {
        let store = SQLiteFleetStore(try FleetDatabase.inMemory())
        try await store.replaceFleet(with: ConsoleFixture.fleet)
        let now = Fixtures.now
        let container = try #require(ConsoleFixture.fleet.containers.first { $0.state == .running })
        let api = LocalFleetAPI(inventory: store, events: store, now: { now })
        var state = try await ConsoleRenderer.state(api: api, view: .host(container.hostID), width: 140, height: 40, readOnly: true, now: now)
        _ = ConsoleApp.update(&state, .hostDetailLoaded(try await api.host(id: container.hostID)))
        state.screen.cursor = try #require((0..<state.table.count).first { state.table.row(at: $0)?.id == container.id })

        // v: the selected container's lines of the last 15 minutes
        let scope = "container:\(container.id)"
        guard case .loadLogs(scope, let query, false, 0)? = ConsoleFixture.type("v", into: &state).first else {
            Issue.record("v did not load the container's lines")
            return
        }
        #expect(query.container == container.id && query.since == now.addingTimeInterval(-900))
        #expect(state.screen.kind == .logs(scope))
        let lines = [
            Self.line(3, .error, "upstream timeout req=42", container: container.id, at: now.addingTimeInterval(-10)),
            Self.line(2, .info, "GET / 200", container: container.id, at: now.addingTimeInterval(-20)),
        ]
        _ = ConsoleApp.update(&state, .logsLoaded(scope: scope, lines: lines, append: false))
        var text = ConsoleFixture.text(state)
        #expect(state.table.count == 2 && state.table.row(at: 0)?.id == "2", "oldest first")
        #expect(text.contains("last 15m") && text.contains("paused") && text.contains("TIME"), "\(text)")

        // T hides the time column; 1 reads the last minute
        _ = ConsoleFixture.type("T", into: &state)
        #expect(!ConsoleFixture.text(state).contains("TIME"))
        guard case .loadLogs(_, let minute, false, 0)? = ConsoleFixture.type("1", into: &state).first else {
            Issue.record("1 did not reload")
            return
        }
        #expect(minute.since == now.addingTimeInterval(-60))

        // f: follow — reads what came after the last line, then again every 2 s; f again pauses
        guard case .loadLogs(_, let after, true, 0)? = ConsoleFixture.type("f", into: &state).first else {
            Issue.record("f did not follow")
            return
        }
        #expect(after.afterID == 3)
        let next = ConsoleApp.update(
            &state, .logsLoaded(scope: scope, lines: [Self.line(4, .warning, "slow", container: container.id, at: now)], append: true))
        guard case .loadLogs(_, let again, true, 2)? = next.first else {
            Issue.record("following did not read again: \(next)")
            return
        }
        #expect(again.afterID == 4 && state.table.count == 3 && state.screen.cursor == 2)
        _ = ConsoleFixture.type("f", into: &state)
        #expect(ConsoleApp.update(&state, .logsLoaded(scope: scope, lines: [], append: true)).isEmpty)
        text = ConsoleFixture.text(state)
        #expect(text.contains("paused"))

        // W: the selected line in full in the panel; S: save to a file
        _ = ConsoleFixture.type("W", into: &state)
        #expect(ConsoleFixture.text(state).contains("[app warning]: slow"))
        guard case .saveLogs(let file, let saved, 3)? = ConsoleFixture.type("S", into: &state).first else {
            Issue.record("S did not save")
            return
        }
        #expect(file.hasPrefix("marquee-logs-container_") && saved.contains("upstream timeout req=42"))

        // :range FROM UNTIL replaces the preset; :logs TEXT keeps the scope and searches
        guard
            case .loadLogs(_, let ranged, false, 0)? = ConsoleFixture.type(":range 2026-11-28T01:00:00Z 2026-11-28T01:30:00Z<enter>", into: &state)
                .first
        else {
            Issue.record(":range did not reload")
            return
        }
        #expect(ranged.since == ISO8601DateFormatter().date(from: "2026-11-28T01:00:00Z") && ranged.until != nil)
        guard case .loadLogs(scope, let searched, false, 0)? = ConsoleFixture.type(":logs timeout<enter>", into: &state).first else {
            Issue.record(":logs did not search")
            return
        }
        #expect(searched.text == "timeout")
        // The lines that came back show the searched text emphasised, not the whole message.
        _ = ConsoleApp.update(&state, .logsLoaded(scope: scope, lines: [lines[0]], append: false))
        state.screen.cursor = 1  // off the only row: the cursor row is drawn in its own style
        let buffer = ConsoleView.render(state, theme: ConsoleFixture.colour)
        let rows = buffer.text().split(separator: "\n", omittingEmptySubsequences: false)
        let y = try #require(rows.firstIndex { $0.contains("upstream TIMEOUT req=42") || $0.contains("upstream timeout req=42") })
        let x = try #require(rows[y].range(of: "timeout").map { rows[y].distance(from: rows[y].startIndex, to: $0.lowerBound) })
        let match = ConsoleFixture.colour[.tableMatch]
        #expect((x..<(x + 7)).allSatisfy { buffer[$0, y].style == match })
        #expect(buffer[x - 2, y].style != match && buffer[x + 8, y].style != match)
    }
}
