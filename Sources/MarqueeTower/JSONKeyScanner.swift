/// One pass over a JSON body that checks every object's keys against an allow-list per schema
/// path, without building a Foundation object tree (which costs more than the request itself on a
/// busy tower). Values are skipped; their syntax is left to `JSONDecoder`, which runs next.
struct JSONKeyScanner {
    /// Why the scan stopped.
    enum Problem: Error, Equatable {
        case notAnObject
        case unknownKey(field: String)
        case malformed
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private let allowed: [String: Set<String>]

    /// Checks `bytes`; `allowed` maps a schema path (`""`, `"batches"`, `"batches.records"`) to its keys.
    static func check(_ bytes: UnsafeRawBufferPointer, allowed: [String: Set<String>]) throws(Problem) {
        var scanner = JSONKeyScanner(bytes: bytes, allowed: allowed)
        scanner.skipWhitespace()
        guard scanner.peek == UInt8(ascii: "{") else { throw .notAnObject }
        var field: [FieldPart] = []
        try scanner.value(schema: "", field: &field)
    }

    private init(bytes: UnsafeRawBufferPointer, allowed: [String: Set<String>]) {
        self.bytes = bytes
        self.allowed = allowed
    }

    enum FieldPart {
        case key(String)
        case index(Int)
    }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func value(schema: String, field: inout [FieldPart]) throws(Problem) {
        skipWhitespace()
        switch peek {
        case UInt8(ascii: "{"): try object(schema: schema, field: &field)
        case UInt8(ascii: "["): try array(schema: schema, field: &field)
        case UInt8(ascii: "\""): _ = try string()
        case nil: throw .malformed
        default:
            // number, true, false, null
            while let byte = peek, byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]"), byte > 0x20 { index += 1 }
        }
    }

    private mutating func object(schema: String, field: inout [FieldPart]) throws(Problem) {
        index += 1
        let keys = allowed[schema]
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw .malformed }
            let key = try string()
            field.append(.key(key))
            if let keys, !keys.contains(key) { throw .unknownKey(field: Self.render(field)) }
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw .malformed }
            index += 1
            try value(schema: schema.isEmpty ? key : schema + "." + key, field: &field)
            field.removeLast()
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return
            default: throw .malformed
            }
        }
    }

    private mutating func array(schema: String, field: inout [FieldPart]) throws(Problem) {
        index += 1
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            index += 1
            return
        }
        var position = 0
        while true {
            field.append(.index(position))
            try value(schema: schema, field: &field)
            field.removeLast()
            position += 1
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return
            default: throw .malformed
            }
        }
    }

    /// Reads a string (the cursor is on its opening quote); escapes are kept as written, which is
    /// enough to compare against plain ASCII key names.
    private mutating func string() throws(Problem) -> String {
        index += 1
        let start = index
        while let byte = peek {
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            index += 1
        }
        throw .malformed
    }

    static func render(_ parts: [FieldPart]) -> String {
        var text = ""
        for part in parts {
            switch part {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let position): text += "[\(position)]"
            }
        }
        return text
    }
}
