import Foundation

/// A strict, single-pass JSON reader over a request body's bytes, for the one body a busy tower
/// reads thousands of times a second: the agent heartbeat.
///
/// `JSONDecoder` plus the ``JSONKeyScanner`` pass cost a heartbeat carrying four records ~50 µs of
/// the tower's ~260 µs (perf, 2026-11-28), most of it in the generic `Codable` containers. This
/// reader walks the bytes once, and the types it fills (`HeartbeatBody.swift`) name every
/// key they accept, so unknown keys, missing fields and wrong types are found in the same walk
/// and reported with the same field paths (`batches[0].records[1].kind`) as ``StrictJSON``.
///
/// It accepts exactly RFC 8259 JSON: strings are validated UTF-8 without raw control characters,
/// escapes (including surrogate pairs) are decoded, numbers follow the JSON grammar, and nesting
/// deeper than ``maximumDepth`` is refused rather than recursed into.
struct JSONReader {
    /// Why reading stopped; each case names the field where it can.
    enum Problem: Error, Equatable {
        /// Not JSON, or JSON with something after the value.
        case malformed(offset: Int)
        case unknownField(String)
        case missingField(String)
        case wrongType(field: String, expected: String)
        case invalidValue(field: String, reason: String)
    }

    /// Objects and arrays nested deeper than this are refused (a body is data, not a stack test).
    static let maximumDepth = 32

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var path: [JSONKeyScanner.FieldPart] = []

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Reads a whole body: `read` consumes the top-level value, and only whitespace may follow.
    static func read<T>(_ bytes: UnsafeRawBufferPointer, _ read: (inout JSONReader) throws(Problem) -> T) throws(Problem) -> T {
        var reader = JSONReader(bytes)
        let value = try read(&reader)
        reader.skipWhitespace()
        guard reader.index == bytes.count else { throw .malformed(offset: reader.index) }
        return value
    }

    // MARK: Containers

    /// Calls `member` for each key of an object, with the reader on the key's value; `member` must
    /// read or skip that value (or throw ``unknownField()``).
    mutating func readObject(_ member: (inout JSONReader, String) throws(Problem) -> Void) throws(Problem) {
        try expect(UInt8(ascii: "{"), type: "an object")
        guard path.count < Self.maximumDepth else { throw .malformed(offset: index) }
        index += 1
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw .malformed(offset: index) }
            let key = try quotedString()
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw .malformed(offset: index) }
            index += 1
            path.append(.key(key))
            try member(&self, key)
            path.removeLast()
            guard try endOfMember(UInt8(ascii: "}")) else { continue }
            return
        }
    }

    /// Calls `element` once per array element, with the reader on it.
    mutating func readArray(_ element: (inout JSONReader) throws(Problem) -> Void) throws(Problem) {
        try expect(UInt8(ascii: "["), type: "an array")
        guard path.count < Self.maximumDepth else { throw .malformed(offset: index) }
        index += 1
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            index += 1
            return
        }
        var position = 0
        while true {
            path.append(.index(position))
            try element(&self)
            path.removeLast()
            position += 1
            guard try endOfMember(UInt8(ascii: "]")) else { continue }
            return
        }
    }

    /// Reads an array of `T`, one element at a time.
    mutating func readArray<T>(of read: (inout JSONReader) throws(Problem) -> T) throws(Problem) -> [T] {
        var values: [T] = []
        try readArray { (reader: inout JSONReader) throws(Problem) in values.append(try read(&reader)) }
        return values
    }

    // MARK: Scalars

    /// Consumes a `null` if one is next.
    mutating func readNull() -> Bool {
        skipWhitespace()
        guard literal("null") else { return false }
        index += 4
        return true
    }

    mutating func readString() throws(Problem) -> String {
        try expect(UInt8(ascii: "\""), type: "String")
        return try quotedString()
    }

    mutating func readBool() throws(Problem) -> Bool {
        skipWhitespace()
        if literal("true") {
            index += 4
            return true
        }
        if literal("false") {
            index += 5
            return false
        }
        throw wrongType("Bool")
    }

    mutating func readInt64() throws(Problem) -> Int64 {
        let (start, end, integral) = try number(type: "Int64")
        guard integral else { throw .wrongType(field: field, expected: "Int64") }
        var value: Int64 = 0
        let negative = bytes[start] == UInt8(ascii: "-")
        for byte in bytes[(negative ? start + 1 : start)..<end] {
            let digit = Int64(byte &- UInt8(ascii: "0"))
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowSum) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !overflowTimes, !overflowSum else { throw .invalidValue(field: field, reason: "is out of range") }
            value = sum
        }
        return value
    }

    mutating func readInt() throws(Problem) -> Int {
        Int(try readInt64())
    }

    mutating func readDouble() throws(Problem) -> Double {
        let (start, end, _) = try number(type: "Double")
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw .invalidValue(field: field, reason: "is out of range") }
        return value
    }

    /// An ISO 8601 date (`2026-11-28T17:30:00Z`), as `JSONDecoder`'s `.iso8601` strategy reads it.
    mutating func readDate() throws(Problem) -> Date {
        let text = try readString()
        if let date = ISO8601Instant.parse(text) { return date }
        guard let date = try? Date.ISO8601FormatStyle().parse(text) else {
            throw .invalidValue(field: field, reason: "must be an ISO 8601 date like 2026-11-28T17:30:00Z")
        }
        return date
    }

    /// A string that must be one of `T`'s raw values.
    mutating func readEnum<T: RawRepresentable & CaseIterable>(_: T.Type) throws(Problem) -> T where T.RawValue == String {
        let text = try readString()
        guard let value = T(rawValue: text) else {
            throw .invalidValue(field: field, reason: "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// Skips one value of any type, checking its syntax; returns where it began, for ``reread(at:_:)``.
    @discardableResult
    mutating func skipValue() throws(Problem) -> Int {
        skipWhitespace()
        let start = index
        switch peek {
        case UInt8(ascii: "{"): try readObject { (reader: inout JSONReader, _: String) throws(Problem) in try reader.skipValue() }
        case UInt8(ascii: "["): try readArray { (reader: inout JSONReader) throws(Problem) in _ = try reader.skipValue() }
        case UInt8(ascii: "\""): _ = try quotedString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"):
            guard readNull() else { throw .malformed(offset: index) }
        default: _ = try number(type: "a value")
        }
        return start
    }

    /// Reads the value that began at `offset` (skipped earlier) under the current field `key`, then
    /// goes back to where the reader was.
    mutating func reread<T>(at offset: Int, key: String, _ read: (inout JSONReader) throws(Problem) -> T) throws(Problem) -> T {
        let resume = index
        index = offset
        path.append(.key(key))
        let value = try read(&self)
        path.removeLast()
        index = resume
        return value
    }

    // MARK: Errors

    /// The current field's path, as ``StrictJSON`` writes it.
    var field: String { JSONKeyScanner.render(path) }

    /// `key` inside the current object.
    func field(_ key: String) -> String { JSONKeyScanner.render(path + [.key(key)]) }

    /// The current key is not one the object accepts.
    func unknownField() -> Problem { .unknownField(field) }

    /// `value` of required `key`, or a missing-field problem naming it.
    func required<T>(_ value: T?, _ key: String) throws(Problem) -> T {
        guard let value else { throw .missingField(field(key)) }
        return value
    }

    // MARK: Bytes

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// A value of another type is a wrong type; something that is no JSON value at all is malformed.
    private func wrongType(_ type: String) -> Problem {
        beginsValue ? .wrongType(field: field, expected: type) : .malformed(offset: index)
    }

    private var beginsValue: Bool {
        switch peek {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: "-"): true
        case UInt8(ascii: "t"): literal("true")
        case UInt8(ascii: "f"): literal("false")
        case UInt8(ascii: "n"): literal("null")
        case let byte?: Self.isDigit(byte)
        case nil: false
        }
    }

    private mutating func expect(_ byte: UInt8, type: String) throws(Problem) {
        skipWhitespace()
        guard peek == byte else { throw wrongType(type) }
    }

    private func literal(_ word: StaticString) -> Bool {
        guard bytes.count - index >= word.utf8CodeUnitCount else { return false }
        for offset in 0..<word.utf8CodeUnitCount where bytes[index + offset] != word.utf8Start[offset] { return false }
        return true
    }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    /// After a member or element: true at the container's end (consumed), false after a comma.
    private mutating func endOfMember(_ close: UInt8) throws(Problem) -> Bool {
        skipWhitespace()
        switch peek {
        case UInt8(ascii: ","):
            index += 1
            return false
        case close:
            index += 1
            return true
        default: throw .malformed(offset: index)
        }
    }

    /// A JSON number's bounds, checked against the grammar; `integral` when it has no fraction or exponent.
    private mutating func number(type: String) throws(Problem) -> (start: Int, end: Int, integral: Bool) {
        skipWhitespace()
        let start = index
        if peek == UInt8(ascii: "-") { index += 1 }
        guard let first = peek, Self.isDigit(first) else { throw index == start ? wrongType(type) : .malformed(offset: index) }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        var integral = true
        if peek == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard let byte = peek, Self.isDigit(byte) else { throw .malformed(offset: index) }
            skipDigits()
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            integral = false
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard let byte = peek, Self.isDigit(byte) else { throw .malformed(offset: index) }
            skipDigits()
        }
        return (start, index, integral)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while let byte = peek, Self.isDigit(byte) { index += 1 }
    }

    /// The string whose opening quote the reader is on, unescaped and validated as UTF-8.
    private mutating func quotedString() throws(Problem) -> String {
        index += 1
        let start = index
        var escaped = false
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw .malformed(offset: index) }
            if byte >= 0x80 { ascii = false }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 2
            } else {
                index += 1
            }
        }
        guard index < bytes.count else { throw .malformed(offset: start - 1) }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        index += 1
        // ASCII needs no validation; `String(validating:as:)` is generic and was not specialized
        // here (its metadata lookups cost more than the copy).
        if ascii && !escaped { return String(decoding: raw, as: UTF8.self) }
        let text =
            escaped ? JSONStringEscapes.unescape(raw).flatMap { String(validating: $0, as: UTF8.self) } : String(validating: raw, as: UTF8.self)
        guard let text else { throw .malformed(offset: start - 1) }
        return text
    }
}
