/// Keeps frames in memory instead of drawing them: for tests, snapshots and `--render-once`.
public struct HeadlessBackend: Sendable {
    /// The last frame presented.
    public private(set) var frame: ScreenBuffer?
    /// Frames presented so far.
    public private(set) var framesPresented = 0
    /// Cells that changed in the last frame.
    public private(set) var lastChangedCells = 0

    public init() {}

    /// Records `buffer` as the current frame.
    public mutating func present(_ buffer: ScreenBuffer) {
        lastChangedCells = buffer.changes(since: frame).reduce(0) { $0 + $1.columns }
        frame = buffer
        framesPresented += 1
    }
}
