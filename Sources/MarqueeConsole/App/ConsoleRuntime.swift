import CNcurses
import Foundation
import Logging
import MarqueeCore

/// Runs the interactive console: an ncurses UI thread, a data loader, and the pure update/view in between.
///
/// All ncurses calls happen on one dedicated thread. It sleeps in `poll` on the terminal and on
/// the mailbox pipe, so an idle console uses no CPU and draws nothing; when something happens it
/// applies the events, and redraws at most 30 times a second, sending only changed cells.
public struct ConsoleRuntime<API: FleetAPI>: Sendable {
    let api: API
    /// What write mode can do; `nil` makes actions report that they are unavailable.
    let actions: (any FleetActions)?
    /// Applications and rollouts; `nil` leaves those views empty.
    let deployments: (any DeploymentAPI)?
    let upgrades: (any UpgradeAPI)?
    /// Lockdowns; `nil` makes the action report that it is unavailable.
    let security: (any SecurityAPI)?
    /// Probe degradation and cohorts; `nil` leaves the probes views empty.
    let probes: (any ProbeAPI)?
    /// Log lines and correlated timelines; `nil` leaves the timeline empty.
    let logs: (any LogAPI)?
    let options: ConsoleOptions
    let logger: Logger

    public init(
        api: API, actions: (any FleetActions)? = nil, deployments: (any DeploymentAPI)? = nil, upgrades: (any UpgradeAPI)? = nil,
        probes: (any ProbeAPI)? = nil,
        logs: (any LogAPI)? = nil, security: (any SecurityAPI)? = nil, options: ConsoleOptions, logger: Logger
    ) {
        self.security = security
        self.logs = logs
        self.probes = probes
        self.api = api
        self.actions = actions
        self.deployments = deployments
        self.upgrades = upgrades
        self.options = options
        self.logger = logger
    }

    /// Runs until the user quits; the terminal is restored on every exit path.
    public func run() async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw ConsoleError.notATerminal }
        let mailbox = try Mailbox()
        let loader = Task { await loadLoop(mailbox) }
        defer { loader.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread { [self] in
                do {
                    try uiLoop(mailbox)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "marquee-console-ui"
            thread.start()
        }
    }

    /// Follows the fleet's changes (pushed by a tower, polled on a local database) and reloads once
    /// per new revision; an idle fleet costs nothing. A dropped stream is shown and retried.
    private func loadLoop(_ mailbox: Mailbox) async {
        var seen: Int64?
        while !Task.isCancelled {
            do {
                if seen == nil {
                    let revision = try await api.revision()
                    await refresh(mailbox)
                    seen = revision
                }
                for try await change in api.changes() where change.revision != seen {
                    await refresh(mailbox)
                    seen = change.revision
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("Fleet change stream failed", metadata: ["error": "\(error)"])
                mailbox.fail("\(error)")
                seen = nil
            }
            try? await Task.sleep(for: options.refresh)
        }
    }

    func refresh(_ mailbox: Mailbox) async {
        do {
            mailbox.publish(try await FleetData.load(from: api, deployments: deployments, upgrades: upgrades), at: Date())
        } catch {
            logger.warning("Fleet refresh failed", metadata: ["error": "\(error)"])
            mailbox.fail("\(error)")
        }
    }

    private func perform(_ effect: ConsoleEffect, mailbox: Mailbox) {
        switch effect {
        case .loadHostDetail(let id):
            Task { [api] in
                do {
                    mailbox.post(.hostDetailLoaded(try await api.host(id: id)))
                } catch {
                    mailbox.post(.detailFailed(id: id, error: "\(error)"))
                }
            }
        case .loadSiteDetail(let id):
            Task { [api] in
                do {
                    mailbox.post(.siteDetailLoaded(try await api.site(id: id)))
                } catch {
                    mailbox.post(.detailFailed(id: id, error: "\(error)"))
                }
            }
        case .loadRollout(let id):
            Task { [deployments] in
                guard let deployments else { return }
                do {
                    mailbox.post(.rolloutLoaded(try await deployments.rollout(id: id)))
                } catch {
                    mailbox.post(.detailFailed(id: id, error: "\(error)"))
                }
            }
        case .loadSecurity:
            Task { [security] in
                guard let security else {
                    mailbox.post(.actionFinished(Flash(level: .error, text: "this console has no security API to read")))
                    return
                }
                do {
                    mailbox.post(.securityLoaded(try await SecurityOverview.load(from: security)))
                } catch {
                    mailbox.post(.actionFinished(Flash(level: .error, text: "security view: \(error)")))
                }
            }
        case .loadProbes(let now):
            Task { [probes, api] in
                guard let probes else {
                    mailbox.post(.probesLoaded(ProbeOverview(reports: []), at: Date()))
                    return
                }
                do {
                    mailbox.post(.probesLoaded(try await ProbeOverview.load(probes: probes, fleet: api, now: now), at: Date()))
                } catch {
                    mailbox.post(.detailFailed(id: "probes", error: "\(error)"))
                }
            }
        case .loadTimeline(let container, let now):
            Task { [logs] in
                guard let logs else {
                    mailbox.post(.detailFailed(id: "timeline", error: "this console has no log access"))
                    return
                }
                do {
                    mailbox.post(.timelineLoaded(try await logs.correlate(container: container, at: now, window: ConsoleState.timelineWindow)))
                } catch {
                    mailbox.post(.detailFailed(id: "timeline of \(container)", error: "\(error)"))
                }
            }
        case .loadTopology(let subject):
            Task { [logs] in
                guard let logs else {
                    mailbox.post(.detailFailed(id: "topology", error: "this console has no log access"))
                    return
                }
                do {
                    mailbox.post(.topologyLoaded(subject, try await logs.topology(of: subject, limit: ConsoleState.topologyExamples)))
                } catch {
                    mailbox.post(.detailFailed(id: "topology of \(subject)", error: "\(error)"))
                }
            }
        case .loadLogs(let scope, let query, let append, let delay):
            Task { [logs] in
                guard let logs else {
                    mailbox.post(.detailFailed(id: "logs", error: "this console has no log access"))
                    return
                }
                if delay > 0 { try? await Task.sleep(for: .seconds(delay)) }
                do {
                    mailbox.post(.logsLoaded(scope: scope, lines: try await logs.logs(query), append: append))
                } catch {
                    if append { mailbox.post(.logsLoaded(scope: scope, lines: [], append: true)) }
                    mailbox.post(.detailFailed(id: "logs of \(scope)", error: "\(error)"))
                }
            }
        case .saveLogs(let file, let text, let count):
            let path = FileManager.default.currentDirectoryPath + "/" + file
            do {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                mailbox.post(.actionFinished(Flash(level: .info, text: "saved \(count) lines to \(path)")))
            } catch {
                mailbox.post(.actionFinished(Flash(level: .error, text: "cannot save to \(path): \(error.localizedDescription)")))
            }
        case .loadHeatmap(let app, let now):
            Task { [probes] in
                guard let probes else { return }
                do {
                    mailbox.post(
                        .heatmapLoaded(try await probes.probeHeatmap(app: app, since: now.addingTimeInterval(-86_400), until: now, step: 3_600)))
                } catch {
                    mailbox.post(.detailFailed(id: "heatmap \(app)", error: "\(error)"))
                }
            }
        case .rolloutCommand(let id, let command):
            Task { [deployments, logger] in
                guard let deployments else {
                    mailbox.post(.actionFinished(Flash(level: .error, text: "this console cannot change rollouts")))
                    return
                }
                do {
                    let rollout = try await deployments.rolloutCommand(command, id: id, actor: OperatorIdentity.current() + " (console)")
                    logger.notice("Rollout command", metadata: ["rollout.id": "\(id)", "command": "\(command.rawValue)"])
                    mailbox.post(.rolloutLoaded(rollout))
                    mailbox.post(.actionFinished(Flash(level: .info, text: "\(id): \(rollout.summary)")))
                } catch {
                    mailbox.post(.actionFinished(Flash(level: .error, text: "\(command.rawValue) \(id): \(error)")))
                }
            }
        case .upgradeCommand(let name, let command):
            runUpgrade(mailbox, "\(command.rawValue) \(name)") { api, actor in try await api.upgradeCommand(command, name: name, actor: actor) }
        case .startUpgrade(let file):
            runUpgrade(mailbox, "start \(file.path)") { api, actor in try await api.startUpgrade(file, actor: actor) }
        case .lockdownSite(let siteID):
            runLockdown(mailbox, siteID)
        case .unlockSite(let siteID):
            runSecurityAction(mailbox, "unlock \(siteID)") { security, reason in
                let change = try await security.unlock(siteID: siteID, reason: reason)
                return "\(siteID) unlocked · \(change.hostIDs.count) host(s) get their work back"
            }
        case .revokeHost(let hostID):
            runSecurityAction(mailbox, "revoke \(hostID)") { security, reason in
                _ = try await security.revokeHost(hostID: hostID, reason: reason)
                return "\(hostID) REVOKED · its credential no longer works; the tower gives it no site key"
            }
        case .refreshNow:
            Task { await refresh(mailbox) }
        case .quit:
            break
        case .approveHost(let id), .rejectHost(let id):
            let approve = if case .approveHost = effect { true } else { false }
            Task { [actions, logger] in
                guard let actions else {
                    mailbox.post(.actionFinished(Flash(level: .error, text: "this console cannot change the fleet")))
                    return
                }
                do {
                    let actor = OperatorIdentity.current() + " (console)"
                    let host = approve ? try await actions.approveHost(id: id, actor: actor) : try await actions.rejectHost(id: id, actor: actor)
                    logger.notice("Host decision", metadata: ["host.id": "\(id)", "decision": "\(approve ? "approved" : "rejected")"])
                    let text = approve ? "approved \(host.id); it enrolls on its next call home" : "rejected \(host.id); it is revoked"
                    mailbox.post(.actionFinished(Flash(level: .info, text: text)))
                } catch {
                    mailbox.post(.actionFinished(Flash(level: .error, text: "\(approve ? "approve" : "reject") \(id): \(error)")))
                }
            }
        }
    }

    private func uiLoop(_ mailbox: Mailbox) throws {
        let backend = try NcursesBackend(environment: options.environment)
        defer { backend.stop() }
        marquee_watch_resize(mailbox.writeDescriptor)
        let theme = options.theme.resolve(for: backend.depth)
        let size = backend.size
        var state = ConsoleState(root: options.view, width: size.width, height: size.height, readOnly: options.readOnly, now: Date())
        state.themeWarning = options.themeWarning
        var openedInitialView = false
        var dirty = true
        let clock = ContinuousClock()
        var lastFrame = clock.now - .seconds(1)
        let frameInterval = Duration.milliseconds(33)
        logger.debug("Console started", metadata: ["console.depth": "\(backend.depth.rawValue)", "console.theme": "\(theme.name)"])

        while !state.quitRequested {
            var effects: [ConsoleEffect] = []
            var resized = false
            for key in backend.pendingKeys() {
                if let key {
                    effects += ConsoleApp.update(&state, .key(key))
                    dirty = true
                } else {
                    resized = true
                }
            }
            if resized {
                // A burst of resize events becomes one relayout at the final size.
                let size = backend.size
                effects += ConsoleApp.update(&state, .resize(width: size.width, height: size.height))
                backend.invalidate()
                dirty = true
            }
            for event in mailbox.drain() {
                effects += ConsoleApp.update(&state, event)
                dirty = true
                if case .dataLoaded = event, !openedInitialView {
                    openedInitialView = true
                    // Its full breadcrumb path, unless the operator already moved (keys typed before the first load count).
                    guard state.stack.count == 1, state.screen.kind == options.view else { continue }
                    state.open(options.view)
                    if case .host(let id) = options.view { effects.append(.loadHostDetail(id)) }
                    if case .site(let id) = options.view { effects.append(.loadSiteDetail(id)) }
                    if case .rollout(let id) = options.view { effects.append(.loadRollout(id)) }
                }
            }
            for effect in effects { perform(effect, mailbox: mailbox) }
            if state.quitRequested { break }

            var timeout: Int32 = -1
            if dirty {
                let since = clock.now - lastFrame
                if since >= frameInterval {
                    backend.present(ConsoleView.render(state, theme: theme))
                    lastFrame = clock.now
                    dirty = false
                } else {
                    let remaining = frameInterval - since
                    timeout = Int32(max(1, remaining.components.attoseconds / 1_000_000_000_000_000 + remaining.components.seconds * 1000))
                }
            }
            var descriptors = [
                pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                pollfd(fd: mailbox.readDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&descriptors, 2, timeout)
        }
        logger.debug("Console stopped")
    }
}
