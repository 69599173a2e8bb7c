import Foundation

/// Builds one chunk line by line: the body's bytes (``LogChunkBody``) and, in the same pass, what
/// the store keeps beside it — time range, layers, referenced containers/apps/tenants, the word
/// index's text and the kernel/runtime message patterns. Ingest appends each line as it reads it,
/// so a line is never held as a value of its own.
public struct LogChunkBuilder: Sendable {
    public private(set) var count = 0
    public private(set) var minTime = Double.infinity
    public private(set) var maxTime = -Double.infinity
    /// Bit per ``LogLayer`` (in `allCases` order) of the layers present.
    public private(set) var layers = 0
    /// The messages of each segment (``LogChunkBody/segmentLines`` lines), one per line: what the
    /// word index is given for the segment (and given again to delete it).
    public private(set) var documents: [String] = []
    /// Kernel and runtime message patterns (``LogPattern``) with their layer and first/last time.
    public private(set) var patterns: [String: (layer: LogLayer, first: Double, last: Double)] = [:]

    private var table: [String: Int] = [:]
    private var strings: [String] = []
    /// Consecutive lines mostly repeat a field (same source, same container): compared before hashing.
    private var previous: [(value: String, reference: Int)?] = Array(repeating: nil, count: 6)
    /// String-table references (+1) used as container, app and tenant.
    private var referenced: [Set<Int>] = [[], [], []]
    private var lines: [UInt8] = []
    /// Where each segment's first line starts in `lines`.
    private var segmentStarts: [UInt32] = []
    /// Version 1 (no segment table, one word-index document): only for the v18 migration's chunks.
    private let segmented: Bool

    /// A builder of version 3 bodies (segmented, suffix-indexed), or of version 1 when `segmented` is false.
    public init(segmented: Bool = true) {
        self.segmented = segmented
    }

    /// Appends a line; its index in the chunk (the low bits of its id) is `index`, by default the
    /// number of lines before it.
    public mutating func append(
        index: Int? = nil, time: Double, severity: LogSeverity, layer: LogLayer, source: String, message: String, container: String? = nil,
        runtimeInstance: String? = nil, tenant: String? = nil, app: String? = nil, service: String? = nil
    ) {
        precondition(count < LogChunkBody.maximumLines)
        if segmented ? count % LogChunkBody.segmentLines == 0 : count == 0 {
            segmentStarts.append(UInt32(lines.count))
            documents.append("")
        }
        LogChunkBody.appendVarint(UInt64(index ?? count), to: &lines)
        withUnsafeBytes(of: time.bitPattern.littleEndian) { lines.append(contentsOf: $0) }
        lines.append(UInt8(LogChunkBody.severities.firstIndex(of: severity)!))
        let layerIndex = LogChunkBody.layers.firstIndex(of: layer)!
        lines.append(UInt8(layerIndex))
        LogChunkBody.appendVarint(UInt64(reference(source, field: 0)), to: &lines)
        let containerReference = reference(container, field: 1)
        LogChunkBody.appendVarint(UInt64(containerReference), to: &lines)
        LogChunkBody.appendVarint(UInt64(reference(runtimeInstance, field: 2)), to: &lines)
        let tenantReference = reference(tenant, field: 3)
        LogChunkBody.appendVarint(UInt64(tenantReference), to: &lines)
        let appReference = reference(app, field: 4)
        LogChunkBody.appendVarint(UInt64(appReference), to: &lines)
        LogChunkBody.appendVarint(UInt64(reference(service, field: 5)), to: &lines)
        LogChunkBody.appendString(message, to: &lines)
        for (set, value) in [(0, containerReference), (1, appReference), (2, tenantReference)] where value > 0 {
            referenced[set].insert(value)
        }
        count += 1
        minTime = min(minTime, time)
        maxTime = max(maxTime, time)
        layers |= 1 << layerIndex
        LogChunkBody.appendToDocument(message, &documents[documents.count - 1])
        if layer == .kernel || layer == .runtime {
            let key = LogPattern.of(message)
            if let known = patterns[key] {
                patterns[key] = (known.layer, min(known.first, time), max(known.last, time))
            } else {
                patterns[key] = (layer, time, time)
            }
        }
    }

    /// Appends a stored line again with its index (rewriting a trimmed chunk keeps the lines' ids).
    public mutating func append(_ line: LogChunkBody.Line) {
        append(
            index: line.index, time: line.time, severity: line.severity, layer: line.layer, source: line.source, message: line.message,
            container: line.container,
            runtimeInstance: line.runtimeInstance, tenant: line.tenant, app: line.app, service: line.service)
    }

    /// The body's bytes.
    public func body() -> [UInt8] {
        var table: [UInt8] = []
        table.reserveCapacity(strings.count * 24 + 4)
        LogChunkBody.appendVarint(UInt64(strings.count), to: &table)
        for string in strings { LogChunkBody.appendString(string, to: &table) }
        guard segmented else {
            var bytes: [UInt8] = [1]
            bytes.reserveCapacity(1 + table.count + 4 + lines.count)
            bytes += table
            LogChunkBody.appendVarint(UInt64(count), to: &bytes)
            return bytes + lines
        }
        var bytes: [UInt8] = [3]
        LogChunkBody.appendVarint(UInt64(count), to: &bytes)
        LogChunkBody.appendVarint(UInt64(LogChunkBody.segmentLines), to: &bytes)
        // Offsets from the body's start: the lines begin after this table and the strings.
        let linesStart = bytes.count + segmentStarts.count * 4 + table.count
        bytes.reserveCapacity(linesStart + lines.count)
        for start in segmentStarts {
            withUnsafeBytes(of: UInt32(linesStart + Int(start)).littleEndian) { bytes.append(contentsOf: $0) }
        }
        bytes += table
        return bytes + lines
    }

    /// The distinct containers, apps and tenants the lines refer to, sorted.
    public var containers: [String] { values(0) }
    public var apps: [String] { values(1) }
    public var tenants: [String] { values(2) }

    private func values(_ set: Int) -> [String] {
        referenced[set].map { strings[$0 - 1] }.sorted()
    }

    private mutating func reference(_ value: String?, field: Int) -> Int {
        guard let value else { return 0 }
        if let last = previous[field], last.value == value { return last.reference }
        let reference: Int
        if let known = table[value] {
            reference = known + 1
        } else {
            table[value] = strings.count
            strings.append(value)
            reference = strings.count
        }
        previous[field] = (value, reference)
        return reference
    }
}
