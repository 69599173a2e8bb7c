import Yams

/// Reads one YAML document's nodes into typed values, collecting a diagnostic for every problem
/// instead of stopping at the first, so an operator fixes a file in one pass.
struct SpecReader {
    let file: String
    private(set) var diagnostics: [SpecDiagnostic] = []

    init(file: String) {
        self.file = file
    }

    /// A mapping node whose keys were checked against a schema.
    struct Object {
        let node: Node
        let path: String
        let entries: [String: (key: Node, value: Node)]

        func has(_ key: String) -> Bool { entries[key] != nil }
    }

    /// An element of a sequence with its path.
    struct Element {
        let node: Node
        let path: String
    }

    mutating func report(_ node: Node, _ path: String, _ message: String) {
        report(at: node.mark, path, message)
    }

    mutating func report(at mark: Mark?, _ path: String, _ message: String) {
        report(line: mark?.line ?? 1, column: mark?.column ?? 1, path, message)
    }

    mutating func report(line: Int, column: Int, _ path: String, _ message: String) {
        diagnostics.append(SpecDiagnostic(file: file, line: line, column: column, path: path, message: message))
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "an empty value" : "`\(scalar.string)`"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// Checks `node` is a mapping with only `allowed` keys and every `required` one.
    mutating func object(_ node: Node, path: String, allowed: [String], required: [String] = []) -> Object? {
        guard case .mapping(let mapping) = node else {
            report(node, path, "expected a mapping with \(allowed.map { "`\($0)`" }.joined(separator: ", ")), found \(Self.describe(node))")
            return nil
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.scalar?.string ?? ""
            let keyPath = Self.join(path, key)
            if !allowed.contains(key) {
                let hint =
                    Self.suggestion(for: key, among: allowed).map { "; did you mean `\($0)`?" }
                    ?? "; expected one of \(allowed.joined(separator: ", "))"
                report(keyNode, keyPath, "unknown field `\(key)`\(hint)")
            } else if entries[key] != nil {
                report(keyNode, keyPath, "field `\(key)` appears twice")
            } else {
                entries[key] = (keyNode, value)
            }
        }
        for key in required where entries[key] == nil {
            report(node, Self.join(path, key), "missing required field `\(key)`")
        }
        return Object(node: node, path: path, entries: entries)
    }

    /// A scalar as text, or nil (reporting a wrong type) when absent, null or not a scalar.
    mutating func string(_ object: Object, _ key: String) -> String? {
        guard let (_, value) = object.entries[key] else { return nil }
        guard case .scalar(let scalar) = value else {
            report(value, Self.join(object.path, key), "expected text, found \(Self.describe(value))")
            return nil
        }
        if scalar.tag == Tag(.null) || (scalar.string.isEmpty && scalar.style == .plain) {
            report(value, Self.join(object.path, key), "expected a value, found nothing")
            return nil
        }
        return scalar.string
    }

    /// `true` or `false`.
    mutating func bool(_ object: Object, _ key: String) -> Bool? {
        guard let text = string(object, key), let value = object.entries[key]?.value else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            report(value, Self.join(object.path, key), "expected true or false, found `\(text)`")
            return nil
        }
    }

    /// A whole number within `range`.
    mutating func int(_ object: Object, _ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = string(object, key), let value = object.entries[key]?.value else { return nil }
        guard let number = Int(text) else {
            report(value, Self.join(object.path, key), "expected a whole number, found `\(text)`")
            return nil
        }
        guard range.contains(number) else {
            report(value, Self.join(object.path, key), "\(number) is out of range \(range.lowerBound)…\(range.upperBound)")
            return nil
        }
        return number
    }

    /// A value parsed by `parse`, which returns nil or throws a message for malformed text.
    mutating func parsed<T>(_ object: Object, _ key: String, _ parse: (String) throws(SpecValueError) -> T) -> T? {
        guard let text = string(object, key), let value = object.entries[key]?.value else { return nil }
        do {
            return try parse(text)
        } catch {
            report(value, Self.join(object.path, key), error.message)
            return nil
        }
    }

    /// The elements of a list (a missing key is an empty list).
    mutating func list(_ object: Object, _ key: String) -> [Element] {
        guard let (_, value) = object.entries[key] else { return [] }
        return elements(value, path: Self.join(object.path, key))
    }

    mutating func elements(_ node: Node, path: String) -> [Element] {
        guard case .sequence(let sequence) = node else {
            report(node, path, "expected a list, found \(Self.describe(node))")
            return []
        }
        return sequence.enumerated().map { Element(node: $1, path: "\(path)[\($0)]") }
    }

    /// A list of scalars as text.
    mutating func strings(_ object: Object, _ key: String) -> [String] {
        list(object, key).compactMap { element in
            guard case .scalar(let scalar) = element.node else {
                report(element.node, element.path, "expected text, found \(Self.describe(element.node))")
                return nil
            }
            return scalar.string
        }
    }

    /// A mapping of text to text (environment variables, labels).
    mutating func stringMap(_ object: Object, _ key: String) -> [String: String] {
        guard let (_, value) = object.entries[key] else { return [:] }
        let path = Self.join(object.path, key)
        guard case .mapping(let mapping) = value else {
            report(value, path, "expected a mapping of names to values, found \(Self.describe(value))")
            return [:]
        }
        var result: [String: String] = [:]
        for (keyNode, valueNode) in mapping {
            let name = keyNode.scalar?.string ?? ""
            guard case .scalar(let scalar) = valueNode else {
                report(valueNode, Self.join(path, name), "expected text, found \(Self.describe(valueNode))")
                continue
            }
            result[name] = scalar.string
        }
        return result
    }

    /// The closest allowed key within edit distance 2 (or sharing a prefix of 4), if any.
    static func suggestion(for key: String, among allowed: [String]) -> String? {
        let scored = allowed.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
        if let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, key.count / 4) { return best.0 }
        return allowed.first { key.count >= 4 && ($0.hasPrefix(key) || key.hasPrefix($0)) }
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// A malformed scalar value; the message says what was expected.
public struct SpecValueError: Error, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
