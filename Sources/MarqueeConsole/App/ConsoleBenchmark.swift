import CNcurses
import Foundation
import MarqueeCore

/// Measures the console: frame render time, bytes sent to a terminal, and time to first frame.
///
/// Frames are rendered exactly as the interactive console renders them; bytes are what ncurses
/// writes for them to a file standing in for the terminal (`TERM=xterm-256color`).
public struct ConsoleBenchmark<API: FleetAPI>: Sendable {
    /// Render-time figures for one view.
    public struct FrameTiming: Codable, Sendable, Equatable {
        public var view: String
        public var rows: Int
        public var p50Microseconds: Double
        public var p99Microseconds: Double
    }

    /// Every figure from one run.
    public struct Result: Codable, Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var frames: Int
        public var renders: [FrameTiming]
        /// Update (one `j`) plus render, p50.
        public var keystrokeP50Microseconds: Double
        public var fullFrameBytes: Int
        public var oneRowChangeBytes: Int
        /// Display cells that changed in the one-row frame.
        public var oneRowChangedCells: Int
        /// `oneRowChangeBytes / oneRowChangedCells`; goal ≤ 2.
        public var bytesPerChangedCell: Double
        /// Bytes and changed cells when the cursor moves down one row (two rows restyled).
        public var cursorMoveBytes: Int
        public var cursorMoveChangedCells: Int
        /// Load through the API, build state, render the first frame, in milliseconds.
        public var firstFrameMilliseconds: Double
    }

    let api: API
    let width: Int
    let height: Int
    let frames: Int

    public init(api: API, width: Int = 160, height: Int = 48, frames: Int = 300) {
        self.api = api
        self.width = width
        self.height = height
        self.frames = frames
    }

    public func run() async throws -> Result {
        let clock = ContinuousClock()
        let theme = BuiltinThemes.standard.resolve(for: .indexed256)
        let start = clock.now
        let first = try await ConsoleRenderer.state(api: api, view: .countries, width: width, height: height, readOnly: true, now: Date())
        _ = ConsoleView.render(first, theme: theme)
        let firstFrame = (clock.now - start).microseconds / 1_000

        var renders: [FrameTiming] = []
        for (name, kind) in [("theaters", ScreenKind.sites(country: nil)), ("hosts", ScreenKind.hosts)] {
            var state = first
            state.open(kind)
            var samples: [Double] = []
            for _ in 0..<frames {
                let began = clock.now
                _ = ConsoleView.render(state, theme: theme)
                samples.append((clock.now - began).microseconds)
            }
            renders.append(Self.timing(name, rows: state.table.count, samples))
        }

        var keyState = first
        keyState.open(.hosts)
        var keySamples: [Double] = []
        for index in 0..<frames {
            let began = clock.now
            _ = ConsoleApp.update(&keyState, .key(index % 200 == 199 ? .character("g") : .character("j")))
            _ = ConsoleView.render(keyState, theme: theme)
            keySamples.append((clock.now - began).microseconds)
        }
        keySamples.sort()

        let bytes = try terminalBytes(first, theme: BuiltinThemes.standard)
        return Result(
            width: width, height: height, frames: frames, renders: renders, keystrokeP50Microseconds: keySamples[keySamples.count / 2],
            fullFrameBytes: bytes.full, oneRowChangeBytes: bytes.oneRow, oneRowChangedCells: bytes.cells,
            bytesPerChangedCell: Double(bytes.oneRow) / Double(max(1, bytes.cells)), cursorMoveBytes: bytes.cursorMove,
            cursorMoveChangedCells: bytes.cursorMoveCells, firstFrameMilliseconds: firstFrame)
    }

    /// Bytes ncurses writes for a full hosts frame, then for a frame where one host's status changed.
    private func terminalBytes(
        _ base: ConsoleState, theme: Theme
    ) throws -> (full: Int, oneRow: Int, cells: Int, cursorMove: Int, cursorMoveCells: Int) {
        setenv("TERM", ProcessInfo.processInfo.environment["TERM"].flatMap { $0.isEmpty || $0 == "dumb" ? nil : $0 } ?? "xterm-256color", 1)
        setenv("LINES", "\(height)", 1)
        setenv("COLUMNS", "\(width)", 1)
        guard let file = tmpfile() else { throw ConsoleError.terminalUnavailable }
        defer { fclose(file) }
        let backend = try NcursesBackend(output: file, environment: ["COLORTERM": ""])
        defer { backend.stop() }
        let resolved = theme.resolve(for: backend.depth)
        var state = base
        state.width = Int(backend.size.width)
        state.height = Int(backend.size.height)
        state.open(.hosts)
        _ = ConsoleApp.update(&state, .key(.character("I")))  // sort by host id: a status change then touches one row only
        fflush(file)
        let before = ftell(file)
        let fullFrame = ConsoleView.render(state, theme: resolved)
        backend.present(fullFrame)
        fflush(file)
        let afterFull = ftell(file)

        guard var data = state.data, let visible = state.table.row(at: state.screen.offset + 3)?.id,
            let index = data.hosts.firstIndex(where: { $0.id == visible })
        else { throw ConsoleError.terminalUnavailable }
        data.hosts[index].status = data.hosts[index].status == .online ? .degraded : .online
        let changed = FleetData(summary: data.summary, countries: data.countries, sites: data.sites, hosts: data.hosts, events: data.events)
        _ = ConsoleApp.update(&state, .dataLoaded(changed, at: state.now))
        let nextFrame = ConsoleView.render(state, theme: resolved)
        let cells = nextFrame.changes(since: fullFrame).reduce(0) { $0 + $1.columns }
        backend.present(nextFrame)
        fflush(file)
        let afterOne = ftell(file)

        _ = ConsoleApp.update(&state, .key(.character("j")))
        let movedFrame = ConsoleView.render(state, theme: resolved)
        let movedCells = movedFrame.changes(since: nextFrame).reduce(0) { $0 + $1.columns }
        backend.present(movedFrame)
        fflush(file)
        let afterMove = ftell(file)
        return (afterFull - before, afterOne - afterFull, cells, afterMove - afterOne, movedCells)
    }

    private static func timing(_ view: String, rows: Int, _ samples: [Double]) -> FrameTiming {
        let sorted = samples.sorted()
        return FrameTiming(
            view: view, rows: rows, p50Microseconds: sorted[sorted.count / 2],
            p99Microseconds: sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
    }
}

extension Duration {
    var microseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000_000 + Double(attoseconds) / 1e12
    }
}
