import ArgumentParser
import Foundation
import MarqueeConsole
import MarqueeCore
import MarqueeSim

/// `marquee bench console`: frame time, terminal bytes and time to first frame.
struct BenchConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Measure console frames: render time (750 theaters, 2,250 hosts), bytes per frame, time to first frame."
    )

    @OptionGroup var bench: BenchOptions

    @Option(help: "Frames per measurement.")
    var frames = 300

    @Option(help: "Frame size as COLUMNSxROWS (at least 80x24).")
    var size = FrameSize(width: 160, height: 48)

    func validate() throws {
        guard frames > 0 else { throw ValidationError("--frames must be at least 1") }
        guard size.width >= 80, size.height >= 24 else { throw ValidationError("--size must be at least 80x24, got \(size)") }
    }

    func run() async throws {
        let (width, height) = (size.width, size.height)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("marquee-bench-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try FleetDatabase.open(at: directory.appendingPathComponent("fleet.db").path)
        let store = SQLiteFleetStore(database)
        try await store.replaceFleet(with: try FleetGenerator(.init(theaters: bench.theaters, seed: bench.seed, now: Date())).generate())
        let api = LocalFleetAPI(inventory: store, events: store)
        let result = try await ConsoleBenchmark(api: api, width: width, height: height, frames: frames).run()
        switch bench.output {
        case .json: Output.printJSON(result)
        case .table:
            func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
            var table = TextTable(columns: [.init("FIGURE"), .init("VALUE", alignRight: true), .init("GOAL", alignRight: true)])
            for render in result.renders {
                table.append(["render \(render.view) (\(render.rows) rows), p50", "\(format(render.p50Microseconds)) µs", "≤ 1000 µs"])
                table.append(["render \(render.view), p99", "\(format(render.p99Microseconds)) µs", ""])
            }
            table.append(["keystroke (update + render), p50", "\(format(result.keystrokeP50Microseconds)) µs", ""])
            table.append(["bytes, full frame", "\(result.fullFrameBytes)", ""])
            table.append(["bytes, one-row change", "\(result.oneRowChangeBytes) for \(result.oneRowChangedCells) cells", ""])
            table.append(["bytes per changed cell (one status cell)", format(result.bytesPerChangedCell, 2), "≤ 2"])
            let moveRatio = Double(result.cursorMoveBytes) / Double(max(1, result.cursorMoveChangedCells))
            table.append([
                "bytes, cursor moves one row", "\(result.cursorMoveBytes) for \(result.cursorMoveChangedCells) cells (\(format(moveRatio, 2))/cell)",
                "≤ 2/cell",
            ])
            table.append(["first frame (load + render)", "\(format(result.firstFrameMilliseconds)) ms", "≤ 150 ms"])
            print("Console at \(result.width)×\(result.height), \(result.frames) frames per figure")
            print(table.render())
        }
    }
}
