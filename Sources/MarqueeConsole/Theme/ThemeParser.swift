import Foundation
import Yams

/// Reads a theme file: YAML → validated key paths → ``Theme``.
enum ThemeParser {
    /// Key paths that hold colours and that views use.
    static let colorKeys: Set<String> = {
        var keys = Set<String>()
        for role in StyleRole.allCases {
            keys.insert(role.spec.foreground)
            if let background = role.spec.background { keys.insert(background) }
        }
        return keys
    }()

    /// Key paths of the reference format that are accepted and reserved for later views.
    static let reservedColorKeys: Set<String> = [
        "ui.header.clock", "ui.menu.numKey", "ui.prompt.commandBorder", "ui.prompt.filterBorder", "ui.help.numKey",
        "ui.dialog.label", "ui.dialog.field", "env.prod.fg", "env.prod.bg", "env.staging.fg", "env.staging.bg", "env.lab.fg",
        "env.lab.bg", "status.new", "status.modified", "status.deleted", "status.completed", "charts.bg", "tree.fg",
        "tree.cursorFg", "tree.cursorBg", "tree.graphic", "table.header.selectedSort",
    ]
    static let listKeys: Set<String> = ["latency.gradient", "charts.series"]
    static let textKeys: Set<String> = ["meta.name", "meta.variant", "meta.minDepth", "ui.menu.style"]

    static var allKeys: Set<String> { colorKeys.union(reservedColorKeys).union(listKeys).union(textKeys) }

    /// Parses `yaml` from `file`, overlaying it on `base` (keys it leaves out keep the base's colours).
    static func parse(_ yaml: String, file: String, base: Theme?) throws(ThemeError) -> Theme {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw .syntax(file: file, line: Self.line(of: error), reason: "\(error)".split(separator: "\n").first.map(String.init) ?? "")
        } catch {
            throw .syntax(file: file, line: 1, reason: "\(error)")
        }
        guard let root, case .mapping(let mapping) = root else {
            throw .wrongType(file: file, line: 1, key: "(top level)", expected: "a mapping of theme sections")
        }
        var colors = base?.colors ?? [:]
        var texts: [String: String] = [:]
        try walk(mapping, prefix: "", file: file, colors: &colors, texts: &texts)
        let fallbackName = file.split(separator: "/").last.map { String($0.split(separator: ".").first ?? $0) } ?? file
        return Theme(name: texts["meta.name"] ?? fallbackName, variant: texts["meta.variant"] ?? "dark", colors: colors)
    }

    private static func walk(
        _ mapping: Node.Mapping, prefix: String, file: String, colors: inout [String: TerminalColor], texts: inout [String: String]
    ) throws(ThemeError) {
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let path = prefix.isEmpty ? key : "\(prefix).\(key)"
            let line = (keyNode.mark?.line ?? 0)
            if path == "palette" { continue }
            switch value {
            case .mapping(let child):
                guard allKeys.contains(where: { $0.hasPrefix(path + ".") }) else { throw unknown(path, line: line, file: file) }
                try walk(child, prefix: path, file: file, colors: &colors, texts: &texts)
            case .scalar(let scalar):
                if textKeys.contains(path) {
                    texts[path] = scalar.string
                } else if colorKeys.contains(path) || reservedColorKeys.contains(path) {
                    guard let color = parseColor(scalar.string) else {
                        throw .invalidColor(file: file, line: line, key: path, value: scalar.string)
                    }
                    colors[path] = color
                } else if listKeys.contains(path) {
                    throw .wrongType(file: file, line: line, key: path, expected: "a list of colours")
                } else if allKeys.contains(where: { $0.hasPrefix(path + ".") }) {
                    throw .wrongType(file: file, line: line, key: path, expected: "a mapping")
                } else {
                    throw unknown(path, line: line, file: file)
                }
            case .sequence(let sequence):
                guard listKeys.contains(path) else {
                    if allKeys.contains(path) { throw .wrongType(file: file, line: line, key: path, expected: "a single value") }
                    throw unknown(path, line: line, file: file)
                }
                for item in sequence where parseColor(item.string ?? "") == nil {
                    throw .invalidColor(file: file, line: (item.mark?.line ?? line), key: path, value: item.string ?? "")
                }
            case .alias:
                throw .wrongType(file: file, line: line, key: path, expected: "a value (an alias that resolves)")
            }
        }
    }

    private static func unknown(_ path: String, line: Int, file: String) -> ThemeError {
        let parent = path.split(separator: ".").dropLast().joined(separator: ".")
        let candidates = allKeys.compactMap { key -> String? in
            let parts = key.split(separator: ".")
            let depth = path.split(separator: ".").count
            guard parts.count >= depth else { return nil }
            let candidate = parts.prefix(depth).joined(separator: ".")
            return candidate.split(separator: ".").dropLast().joined(separator: ".") == parent ? candidate : nil
        }
        let suggestion = Set(candidates).map { ($0, editDistance($0, path)) }.filter { $0.1 <= 3 }.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
        return .unknownKey(file: file, line: line, key: path, suggestion: suggestion)
    }

    /// Parses `#rrggbb`, a colour name, `ansi:N`, `idx:N` or `default`.
    static func parseColor(_ text: String) -> TerminalColor? {
        let value = text.trimmingCharacters(in: .whitespaces).lowercased()
        if value == "default" { return .terminalDefault }
        if value.hasPrefix("#"), value.count == 7, let number = UInt32(value.dropFirst(), radix: 16) {
            return .rgb(UInt8(number >> 16), UInt8((number >> 8) & 0xFF), UInt8(number & 0xFF))
        }
        if value.hasPrefix("ansi:"), let index = Int(value.dropFirst(5)), (0...15).contains(index) { return .ansi(index) }
        if value.hasPrefix("idx:"), let index = Int(value.dropFirst(4)), (0...255).contains(index) { return .indexed(index) }
        if let (r, g, b) = NamedColors.rgb(value) { return .rgb(r, g, b) }
        return nil
    }

    private static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return 1
        }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
