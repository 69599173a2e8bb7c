import Foundation
import MarqueeConsole
import MarqueeCore
import MarqueeTestSupport
import Testing

/// Scripted key sessions: keys in, assertions on state and on the rendered grid.
@Suite struct KeySessionTests {
    @Test func theSaturdayNightPathTakesTwoKeys() async throws {
        // Given the console on its start screen (countries, worst first)
        var state = try await ConsoleFixture.state()
        let worstCountry = try #require(state.table.row(at: 0)?.id)

        // When the on-call engineer presses Enter twice
        ConsoleFixture.type("<enter><enter>", into: &state)

        // Then they see the worst theater of the worst country, with its 3 hosts' kernel and runtime
        guard case .site(let siteID) = state.screen.kind else {
            Issue.record("expected a theater, got \(state.screen.kind)")
            return
        }
        #expect(siteID.hasPrefix(worstCountry.lowercased()))
        let site = try #require(ConsoleFixture.fleet.sites.first { $0.id == siteID })
        let hosts = ConsoleFixture.fleet.hosts.filter { $0.siteID == siteID }
        #expect(hosts.contains { $0.status != .online })
        let screen = ConsoleFixture.text(state)
        #expect(screen.contains(site.name))
        for host in hosts {
            #expect(screen.contains(host.id))
            #expect(screen.contains(host.kernelRelease))
            #expect(screen.contains(host.runtimeDescription))
        }
        #expect(state.stack.map(\.kind) == [.countries, .sites(country: worstCountry), .site(siteID)])
    }

    @Test func escGoesBackAndKeepsTheCursor() async throws {
        var state = try await ConsoleFixture.state()
        ConsoleFixture.type("jjj<enter>", into: &state)
        #expect(state.stack.count == 2)
        ConsoleFixture.type("<esc>", into: &state)
        #expect(state.stack.count == 1)
        #expect(state.screen.cursor == 3)
        ConsoleFixture.type("<esc>", into: &state)
        #expect(state.stack.count == 1)
        #expect(state.flash?.text.contains(":q") == true)
    }

    @Test func movesByRowPageAndEnds() async throws {
        var state = try await ConsoleFixture.state(view: .hosts, width: 100, height: 30)
        ConsoleFixture.type("j", into: &state)
        #expect(state.screen.cursor == 1)
        ConsoleFixture.type("<pgdn>", into: &state)
        #expect(state.screen.cursor == 1 + state.tableArea.height - 1)
        ConsoleFixture.type("G", into: &state)
        #expect(state.screen.cursor == 2_249)
        #expect(state.screen.offset == 2_250 - (state.tableArea.height - 1))
        #expect(ConsoleFixture.text(state).contains(state.table.row(at: 2_249)!.id))
        ConsoleFixture.type("g", into: &state)
        #expect(state.screen.cursor == 0 && state.screen.offset == 0)
        ConsoleFixture.type("k<up>", into: &state)
        #expect(state.screen.cursor == 0)
    }

    @Test func aSelectorFilterKeepsOnlyMatchingTheaters() async throws {
        var state = try await ConsoleFixture.state(view: .sites(country: nil))
        ConsoleFixture.type("/country=SE and screens>=10<enter>", into: &state)
        let expected = ConsoleFixture.fleet.sites.filter { $0.country == "SE" && Int($0.labels["screens"]!)! >= 10 }
        #expect(state.table.count == expected.count)
        #expect((0..<state.table.count).allSatisfy { state.table.row(at: $0)!.id.hasPrefix("se-") })
        #expect(ConsoleFixture.text(state).contains("[\(expected.count)/750]"))
        // Esc clears the filter before going back
        ConsoleFixture.type("<esc>", into: &state)
        #expect(state.table.count == 750)
        #expect(state.stack.count == 2)
    }

    @Test func wideCityNamesKeepColumnsAligned() async throws {
        var state = try await ConsoleFixture.state(view: .sites(country: nil), width: 140, height: 40)
        ConsoleFixture.type("/country in (JP, KR, CH, DK)<enter>", into: &state)
        let lines = ConsoleFixture.text(state).split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.contains("HEALTH") })
        let healthColumn = String(header[..<header.range(of: "HEALTH")!.lowerBound]).displayWidth
        let rows = lines.filter { $0.contains("東京") || $0.contains("서울") || $0.contains("Zürich") || $0.contains("København") }
        #expect(rows.count >= 4)
        for row in rows {
            let match = try #require(row.range(of: #"  (healthy|degraded|down)\b"#, options: .regularExpression), "\(row)")
            let column = String(row[..<match.lowerBound]).displayWidth + 2
            #expect(column == healthColumn, "\(row)")
        }
    }

    @Test func aMalformedSelectorFilterShowsItsColumn() async throws {
        var state = try await ConsoleFixture.state(view: .sites(country: nil))
        ConsoleFixture.type("/screens >= <enter>", into: &state)
        #expect(state.table.filterError?.contains("column 11") == true)
        #expect(state.flash?.level == .error)
        #expect(ConsoleFixture.text(state).contains("filter error: column 11"))
    }

    @Test func aTextFilterMatchesAnyColumnAndEscRestores() async throws {
        var state = try await ConsoleFixture.state(view: .hosts)
        ConsoleFixture.type("/podman", into: &state)
        let podman = ConsoleFixture.fleet.hosts.count { $0.runtimeName == "podman" }
        #expect(state.table.count == podman)
        ConsoleFixture.type("<esc>", into: &state)
        #expect(state.table.count == 2_250)
        #expect(state.screen.filter.isEmpty)
    }

    @Test func shiftLetterSortsAndAgainReverses() async throws {
        var state = try await ConsoleFixture.state(view: .sites(country: nil))
        ConsoleFixture.type("S", into: &state)
        let screens = (0..<state.table.count).map { Int(state.table.row(at: $0)!.cells[4])! }
        #expect(screens == screens.sorted(by: >))
        #expect(ConsoleFixture.text(state).contains("sort SCR↓"))
        ConsoleFixture.type("S", into: &state)
        let ascending = (0..<state.table.count).map { Int(state.table.row(at: $0)!.cells[4])! }
        #expect(ascending == ascending.sorted())
        ConsoleFixture.type("<gt>", into: &state)
        #expect(state.screen.sort?.column == 5)
        ConsoleFixture.type("<lt><lt>", into: &state)
        #expect(state.screen.sort?.column == 3)
    }

    @Test func spaceMarksRows() async throws {
        var state = try await ConsoleFixture.state(view: .sites(country: nil))
        ConsoleFixture.type("<space><space>", into: &state)
        #expect(state.screen.marks.count == 2)
        #expect(state.screen.cursor == 2)
        #expect(ConsoleFixture.text(state).contains("marked 2"))
        ConsoleFixture.type("<c-\\>", into: &state)
        #expect(state.screen.marks.isEmpty)
    }

    @Test func commandsJumpCompleteAndReportErrors() async throws {
        var state = try await ConsoleFixture.state()
        ConsoleFixture.type(":site se-sto-001<enter>", into: &state)
        #expect(state.screen.kind == .site("se-sto-001"))
        ConsoleFixture.type(":ho<tab><enter>", into: &state)
        #expect(state.screen.kind == .hosts)
        ConsoleFixture.type(":country jp<enter>", into: &state)
        #expect(state.screen.kind == .sites(country: "JP"))
        ConsoleFixture.type(":nonsense<enter>", into: &state)
        #expect(state.flash == Flash(level: .error, text: "unknown command ':nonsense'; type : and Tab for suggestions"))
        ConsoleFixture.type(":site xx-nope-001<enter>", into: &state)
        #expect(state.flash?.text == "no theater 'xx-nope-001'")
        let effects = ConsoleFixture.type(":q<enter>", into: &state)
        #expect(effects == [.quit])
        #expect(state.quitRequested)
    }

    @Test func openingATheaterAsksForItsOwnEvents() async throws {
        var state = try await ConsoleFixture.state(view: .sites(country: "SE"))
        let effects = ConsoleFixture.type("<enter>", into: &state)
        guard case .site(let id) = state.screen.kind else {
            Issue.record("expected a theater")
            return
        }
        #expect(effects == [.loadSiteDetail(id)])
    }

    @Test func ctrlCQuits() async throws {
        var state = try await ConsoleFixture.state()
        #expect(ConsoleFixture.type("<c-c>", into: &state) == [.quit])
    }

    @Test func openingAHostAsksForItsContainers() async throws {
        var state = try await ConsoleFixture.state(view: .site("se-sto-006"))
        let effects = ConsoleFixture.type("<enter>", into: &state)
        #expect(effects == [.loadHostDetail("se-sto-006-h1")])
        #expect(ConsoleFixture.text(state).contains("loading containers"))
    }

    @Test func helpIsGeneratedFromTheKeyMap() async throws {
        var state = try await ConsoleFixture.state()
        ConsoleFixture.type("?", into: &state)
        let screen = ConsoleFixture.text(state)
        for binding in KeyBindings.active(readOnly: true) {
            #expect(screen.contains(binding.help.prefix(30)), "\(binding.help)")
        }
        ConsoleFixture.type("x", into: &state)
        #expect(state.mode == .normal)
    }

    @Test func resizeBelowTheMinimumShowsAMessageAndRecovers() async throws {
        var state = try await ConsoleFixture.state(view: .hosts)
        ConsoleFixture.type("G", into: &state)
        _ = ConsoleApp.update(&state, .resize(width: 70, height: 20))
        #expect(ConsoleFixture.text(state).contains("Terminal too small: 70×20"))
        _ = ConsoleApp.update(&state, .resize(width: 160, height: 48))
        #expect(state.screen.cursor == 2_249)
        #expect(ConsoleFixture.text(state).contains(state.table.row(at: 2_249)!.id))
    }

    @Test func newDataKeepsTheSelectedRow() async throws {
        var state = try await ConsoleFixture.state(view: .hosts)
        ConsoleFixture.type("jjjjj", into: &state)
        let selected = state.table.row(at: 5)!.id
        var data = try #require(state.data)
        // A healthy host goes offline: it moves up in the worst-first order
        let changed = try #require(data.hosts.firstIndex { $0.status == .online && $0.id > selected })
        data.hosts[changed].status = .offline
        let refreshed = FleetData(summary: data.summary, countries: data.countries, sites: data.sites, hosts: data.hosts, events: data.events)
        _ = ConsoleApp.update(&state, .dataLoaded(refreshed, at: Fixtures.now))
        #expect(state.table.row(at: state.screen.cursor)?.id == selected)
    }

    @Test func theBadgeShowsTheModeAsText() async throws {
        let readOnly = try await ConsoleFixture.state(readOnly: true)
        #expect(ConsoleFixture.text(readOnly).contains("READ-ONLY"))
        let write = try await ConsoleFixture.state(readOnly: false)
        #expect(ConsoleFixture.text(write).contains(" WRITE "))
    }

    @Test func aFailedRefreshMarksTheDataStale() async throws {
        var state = try await ConsoleFixture.state()
        _ = ConsoleApp.update(&state, .dataFailed("tower unreachable"))
        #expect(ConsoleFixture.text(state).contains("STALE: tower unreachable"))
    }

    @Test func pendingHostsAreApprovedOrRejectedOnlyInWriteModeAfterConfirmation() async throws {
        let pending = ConsoleFixture.fleet.hosts.filter { $0.status == .pending }
        #expect(!pending.isEmpty)

        // Read-only: the view lists them, but a and r do nothing
        var readOnly = try await ConsoleFixture.state()
        ConsoleFixture.type(":hosts pending<enter>", into: &readOnly)
        #expect(readOnly.screen.kind == .pendingHosts)
        #expect(readOnly.table.count == pending.count)
        #expect(ConsoleFixture.type("a", into: &readOnly).isEmpty)
        #expect(readOnly.mode == .normal)
        #expect(ConsoleFixture.text(readOnly).contains("read-only: --write to decide"))

        // Write mode: a asks first; Enter on the default (Cancel) does nothing
        var state = try await ConsoleFixture.state(readOnly: false)
        ConsoleFixture.type(":hosts pending<enter>", into: &state)
        let first = try #require(state.table.row(at: 0)?.id)
        #expect(ConsoleFixture.type("a<enter>", into: &state).isEmpty)
        #expect(state.flash?.text == "cancelled")
        // Tab moves to OK; Enter approves
        ConsoleFixture.type("a", into: &state)
        #expect(ConsoleFixture.text(state).contains("Approve \(first)?"))
        #expect(ConsoleFixture.type("<tab><enter>", into: &state) == [.approveHost(first)])

        // Reject is dangerous: the host id must be typed before OK works
        ConsoleFixture.type("r<tab><enter>", into: &state)
        guard case .confirm(let dialog, .rejectHost(first)) = state.mode else {
            Issue.record("expected the reject dialog to stay open until the id is typed, got \(state.mode)")
            return
        }
        #expect(dialog.dangerous && !dialog.canConfirm)
        #expect(ConsoleFixture.type("\(first)<enter>", into: &state) == [.rejectHost(first)])
        #expect(state.mode == .normal)

        // Elsewhere, a explains where it works
        ConsoleFixture.type("<esc>a", into: &state)
        #expect(state.flash?.text == "approve and reject work on :hosts pending")
        // The result of an action lands on the bottom line
        _ = ConsoleApp.update(&state, .actionFinished(Flash(level: .info, text: "approved \(first)")))
        #expect(ConsoleFixture.text(state).contains("approved \(first)"))
    }
}
