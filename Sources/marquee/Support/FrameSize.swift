import ArgumentParser

/// A terminal size argument such as `120x40`.
struct FrameSize: ExpressibleByArgument, CustomStringConvertible {
    var width: Int
    var height: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, (1...1000).contains(parts[0]), (1...1000).contains(parts[1]) else { return nil }
        width = parts[0]
        height = parts[1]
    }

    var description: String { "\(width)x\(height)" }
}
