import Foundation
import MarqueeConsole
import MarqueeCore
import MarqueeTestSupport
import Testing

/// The on-call path after a theft: the alert, the theater, `L`, its id typed — and a locked
/// theater that says so everywhere, in words, in the monochrome theme.
@Suite struct LockdownViewTests {
    @Test func whenNewerEventsBuryTheAlertSBringsItUnderTheCursor() async throws {
        let fleet = Fixtures.fleet(theaters: 30)
        let store = try await Fixtures.store(with: fleet)
        let api = LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now })
        let site = try #require(fleet.sites.first)
        _ = try await store.record(
            Event(
                time: Fixtures.now.addingTimeInterval(-60), kind: "site.hosts_vanished", severity: .critical, subject: "site/\(site.id)",
                message: "2 of 3 hosts of \(site.id) stopped calling home together: possible theft", actor: "system"))
        for (index, host) in fleet.hosts.suffix(12).enumerated() {
            _ = try await store.record(
                Event(
                    time: Fixtures.now.addingTimeInterval(Double(index + 1)), kind: "host.online", severity: .notice, subject: "host/\(host.id)",
                    message: "\(host.id) is calling home again", actor: "agent/\(host.id)"))
        }
        var state = try await ConsoleRenderer.state(api: api, view: .countries, width: 140, height: 40, readOnly: false, now: Fixtures.now)
        ConsoleFixture.type("e", into: &state)
        #expect(state.table.row(at: 0)?.cells[2] == "host.online")
        // S: most severe first, and the cursor stays on the first row: the alert, ready for Enter.
        ConsoleFixture.type("S", into: &state)
        #expect(state.screen.cursor == 0 && state.table.row(at: 0)?.cells[2] == "site.hosts_vanished")
        // Within a severity the newest stays first.
        let notices = (0..<state.table.count).compactMap { state.table.row(at: $0) }.filter { $0.cells[1] == "notice" }.map(\.cells[0])
        #expect(notices == notices.sorted(by: >))
        ConsoleFixture.type("<enter><c-l>", into: &state)
        #expect(state.screen.kind == .site(site.id))
        guard case .confirm(_, .lockdownSite(site.id)) = state.mode else {
            Issue.record("expected the lockdown dialog for \(site.id), got \(state.mode)")
            return
        }
        // Elsewhere a sort keeps the selected row: a cursor moved off the top follows its row.
        ConsoleFixture.type("<esc><esc>ejS", into: &state)
        #expect(state.screen.cursor != 0)
    }

    @Test func fromTheAlertFourKeysAndTheTypedIdLockTheTheaterDown() async throws {
        let fleet = Fixtures.fleet(theaters: 30)
        let store = try await Fixtures.store(with: fleet)
        let api = LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now })
        let site = try #require(fleet.sites.first { $0.country == "BE" } ?? fleet.sites.first)
        _ = try await store.record(
            Event(
                time: Fixtures.now, kind: "site.hosts_vanished", severity: .critical, subject: "site/\(site.id)",
                message: "2 of 3 hosts of \(site.id) stopped calling home within 1 minute while another still does: possible theft",
                actor: "tower"))

        var readOnly = try await ConsoleRenderer.state(api: api, view: .countries, width: 140, height: 40, readOnly: true, now: Fixtures.now)
        ConsoleFixture.type("e<enter><c-l>", into: &readOnly)
        #expect(readOnly.mode == .normal)

        var state = try await ConsoleRenderer.state(api: api, view: .countries, width: 140, height: 40, readOnly: false, now: Fixtures.now)
        // e: events, newest first (the alert); Enter: its theater; Ctrl-L: lock it down.
        ConsoleFixture.type("e<enter><c-l>", into: &state)
        #expect(state.screen.kind == .site(site.id))
        guard case .confirm(let dialog, .lockdownSite(site.id)) = state.mode else {
            Issue.record("expected the lockdown dialog for \(site.id), got \(state.mode) \(String(describing: state.flash)) \(state.screen.kind)")
            return
        }
        #expect(dialog.dangerous && dialog.typedConfirmation == site.id)
        #expect(ConsoleFixture.text(state).contains("Lock down \(site.id)?"))
        // A wrong id locks nothing (Enter stays on Cancel); the exact id, then Enter, locks it.
        #expect(ConsoleFixture.type("xx<enter>", into: &state).isEmpty && state.mode == .normal)
        ConsoleFixture.type("<c-l>", into: &state)
        #expect(ConsoleFixture.type("\(site.id)<enter>", into: &state) == [.lockdownSite(site.id)])

        // Locked: the header, the theaters table and the theater say so in words.
        _ = try await SecurityService(store: store).lockdown(siteID: site.id, reason: "theft", by: .bootstrapAdmin(tenantID: "mtc-platform"))
        var locked = try await ConsoleRenderer.state(api: api, view: .sites(country: nil), width: 140, height: 40, readOnly: false, now: Fixtures.now)
        let table = ConsoleFixture.text(locked)
        #expect(table.contains("LOCKED: \(site.id)"))
        let firstRow = try #require(table.split(separator: "\n").first { $0.contains(site.id) && !$0.contains("LOCKED:") })
        #expect(firstRow.contains("LOCKED"))
        #expect(locked.table.row(at: 0)?.id == site.id)
        ConsoleFixture.type("<enter>", into: &locked)
        #expect(ConsoleFixture.text(locked).contains("LOCKED DOWN"))
        ConsoleFixture.type("<c-l>", into: &locked)
        #expect(locked.flash?.text.contains("already locked down") == true)

        // On the locked theater: Ctrl-K on a host revokes it after its id is typed; Ctrl-U unlocks
        // the theater after its id is typed (the tower checks platform-admin).
        let stolen = try #require(locked.table.row(at: 0)?.id)
        ConsoleFixture.type("<c-k>", into: &locked)
        guard case .confirm(let revoke, .revokeHost(stolen)) = locked.mode else {
            Issue.record("expected the revoke dialog for \(stolen), got \(locked.mode)")
            return
        }
        #expect(revoke.dangerous && ConsoleFixture.text(locked).contains("Revoke \(stolen)?"))
        #expect(ConsoleFixture.type("\(stolen)<enter>", into: &locked) == [.revokeHost(stolen)])
        ConsoleFixture.type("<c-u>", into: &locked)
        guard case .confirm(_, .unlockSite(site.id)) = locked.mode else {
            Issue.record("expected the unlock dialog for \(site.id), got \(locked.mode)")
            return
        }
        #expect(ConsoleFixture.text(locked).contains("Unlock \(site.id)?"))
        #expect(ConsoleFixture.type("\(site.id)<enter>", into: &locked) == [.unlockSite(site.id)])
        // Read-only consoles have neither key; an unlocked theater has nothing to unlock.
        ConsoleFixture.type("<c-u><c-k>", into: &readOnly)
        #expect(readOnly.mode == .normal)
        var open = try await ConsoleRenderer.state(
            api: api, view: .site(fleet.sites.last!.id), width: 140, height: 40, readOnly: false, now: Fixtures.now)
        ConsoleFixture.type("<c-u>", into: &open)
        #expect(open.flash?.text.contains("is not locked down") == true)
    }
}

/// A console whose caller may not see upgrades (an application owner) loads everything else.
@Suite struct RestrictedConsoleTests {
    struct RefusingUpgrades: UpgradeAPI {
        static let refusal = SecurityError.forbidden(principal: "vendor-desk (viewer@visionary-analytics)", permission: .readInfrastructure)
        func upgradeDryRun(_ file: SpecFile) async throws -> UpgradeDryRun { throw Self.refusal }
        func startUpgrade(_ file: SpecFile, actor: String) async throws -> Upgrade { throw Self.refusal }
        func upgrades() async throws -> [Upgrade] { throw Self.refusal }
        func upgrade(name: String) async throws -> Upgrade { throw Self.refusal }
        func upgradeCommand(_ command: UpgradeService.Command, name: String, actor: String) async throws -> Upgrade { throw Self.refusal }
    }

    struct FailingUpgrades: UpgradeAPI {
        struct Down: Error {}
        func upgradeDryRun(_ file: SpecFile) async throws -> UpgradeDryRun { throw Down() }
        func startUpgrade(_ file: SpecFile, actor: String) async throws -> Upgrade { throw Down() }
        func upgrades() async throws -> [Upgrade] { throw Down() }
        func upgrade(name: String) async throws -> Upgrade { throw Down() }
        func upgradeCommand(_ command: UpgradeService.Command, name: String, actor: String) async throws -> Upgrade { throw Down() }
    }

    @Test func aRefusedViewIsEmptyAndAFaultIsStillAnError() async throws {
        let api = try await ConsoleFixture.api()
        let data = try await FleetData.load(from: api, upgrades: RefusingUpgrades())
        #expect(data.upgrades.isEmpty && data.sites.count == ConsoleFixture.fleet.sites.count)
        await #expect(throws: FailingUpgrades.Down.self) { try await FleetData.load(from: api, upgrades: FailingUpgrades()) }
    }
}

/// The event stream follows its head: on the newest row, a new event takes the cursor's place.
@Suite struct EventStreamTests {
    @Test func aCursorOnTheNewestEventStaysOnTheNewestAfterAReload() async throws {
        let store = try await Fixtures.store(with: Fixtures.fleet(theaters: 5))
        let api = LocalFleetAPI(inventory: store, events: store, now: { Fixtures.now })
        var state = try await ConsoleRenderer.state(api: api, view: .events, width: 140, height: 40, readOnly: true, now: Fixtures.now)
        let before = try #require(state.table.row(at: 0)?.id)
        let fresh = try await store.record(
            Event(
                time: Fixtures.now.addingTimeInterval(60), kind: "site.hosts_vanished", severity: .critical, subject: "site/x", message: "new",
                actor: "test"))
        _ = ConsoleApp.update(&state, .dataLoaded(try await FleetData.load(from: api), at: Fixtures.now))
        #expect(state.table.row(at: state.screen.cursor)?.id == "event/\(fresh.id ?? -1)")
        // Further down, the cursor keeps its row.
        ConsoleFixture.type("j", into: &state)
        let kept = try #require(state.table.row(at: state.screen.cursor)?.id)
        _ = try await store.record(
            Event(time: Fixtures.now.addingTimeInterval(90), kind: "x", severity: .info, subject: "site/x", message: "newer", actor: "test"))
        _ = ConsoleApp.update(&state, .dataLoaded(try await FleetData.load(from: api), at: Fixtures.now))
        #expect(state.table.row(at: state.screen.cursor)?.id == kept && kept == before)
    }
}
