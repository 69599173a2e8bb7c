import Foundation
import MarqueeCore

/// `POST /v1/agent/heartbeat` body, read by ``JSONReader`` in one pass.
///
/// Each reader below accepts exactly the keys of its type's `Codable` form (the tests decode the
/// same bodies with `JSONDecoder` and compare), so agents encode with `JSONEncoder` as before. A
/// key that appears twice keeps its last value.
struct HeartbeatBody: Equatable {
    var facts: HostFacts?
    var batches: [ReportBatch]

    /// Reads a whole heartbeat body.
    static func read(_ bytes: UnsafeRawBufferPointer) throws(JSONReader.Problem) -> HeartbeatBody {
        try JSONReader.read(bytes) { (reader: inout JSONReader) throws(JSONReader.Problem) in try HeartbeatBody(reading: &reader) }
    }

    init(facts: HostFacts?, batches: [ReportBatch]) {
        self.facts = facts
        self.batches = batches
    }

    init(reading reader: inout JSONReader) throws(JSONReader.Problem) {
        var facts: HostFacts?
        var batches: [ReportBatch] = []
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Problem) in
            switch key {
            case "facts": facts = reader.readNull() ? nil : try HostFacts(reading: &reader)
            case "batches":
                batches =
                    reader.readNull()
                    ? [] : try reader.readArray(of: { (reader: inout JSONReader) throws(JSONReader.Problem) in try ReportBatch(reading: &reader) })
            default: throw reader.unknownField()
            }
        }
        self.init(facts: facts, batches: batches)
    }
}

extension HostFacts {
    init(reading reader: inout JSONReader) throws(JSONReader.Problem) {
        var strings: [String: String] = [:]
        var cpuCores: Int?
        var memoryBytes: Int64?
        var diskBytes: Int64?
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Problem) in
            switch key {
            case "hostname", "serialNumber", "osName", "osVersion", "kernelRelease", "runtimeName", "runtimeVersion", "agentVersion":
                strings[key] = try reader.readString()
            case "cpuCores": cpuCores = try reader.readInt()
            case "memoryBytes": memoryBytes = try reader.readInt64()
            case "diskBytes": diskBytes = try reader.readInt64()
            default: throw reader.unknownField()
            }
        }
        self.init(
            hostname: try reader.required(strings["hostname"], "hostname"),
            serialNumber: try reader.required(strings["serialNumber"], "serialNumber"),
            osName: try reader.required(strings["osName"], "osName"), osVersion: try reader.required(strings["osVersion"], "osVersion"),
            kernelRelease: try reader.required(strings["kernelRelease"], "kernelRelease"),
            runtimeName: try reader.required(strings["runtimeName"], "runtimeName"),
            runtimeVersion: try reader.required(strings["runtimeVersion"], "runtimeVersion"),
            agentVersion: try reader.required(strings["agentVersion"], "agentVersion"), cpuCores: try reader.required(cpuCores, "cpuCores"),
            memoryBytes: try reader.required(memoryBytes, "memoryBytes"), diskBytes: try reader.required(diskBytes, "diskBytes"))
    }
}

extension ReportBatch {
    init(reading reader: inout JSONReader) throws(JSONReader.Problem) {
        var sequence: Int64?
        var createdAt: Date?
        var records: [ReportRecord]?
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Problem) in
            switch key {
            case "sequence": sequence = try reader.readInt64()
            case "createdAt": createdAt = try reader.readDate()
            case "records":
                records = try reader.readArray(of: { (reader: inout JSONReader) throws(JSONReader.Problem) in try ReportRecord(reading: &reader) })
            default: throw reader.unknownField()
            }
        }
        self.init(
            sequence: try reader.required(sequence, "sequence"), createdAt: try reader.required(createdAt, "createdAt"),
            records: try reader.required(records, "records"))
    }
}

extension ReportRecord {
    /// Like the `Decodable` form: only the payload matching `kind` is read (the others are checked
    /// as JSON and skipped), and a record without its payload is kept, to be skipped at ingest.
    init(reading reader: inout JSONReader) throws(JSONReader.Problem) {
        var kind: Kind?
        var time: Date?
        var payloads: [(key: String, offset: Int)] = []
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Problem) in
            switch key {
            case "kind": kind = try reader.readEnum(Kind.self)
            case "time": time = try reader.readDate()
            case "container", "hostMetrics", "probe", "log":
                // `null` reads as absent, as `decodeIfPresent` has it.
                if !reader.readNull() { payloads.append((key, try reader.skipValue())) }
            default: throw reader.unknownField()
            }
        }
        let record = try reader.required(kind, "kind")
        self.init(kind: record, time: try reader.required(time, "time"))
        guard let payload = payloads.last(where: { $0.key == record.rawValue }) else { return }
        switch record {
        case .container:
            container = try reader.reread(at: payload.offset, key: payload.key) { (reader: inout JSONReader) throws(JSONReader.Problem) in
                try ContainerStateReport(reading: &reader)
            }
        case .hostMetrics:
            hostMetrics = try reader.reread(at: payload.offset, key: payload.key) { (reader: inout JSONReader) throws(JSONReader.Problem) in
                try HostMetricsReport(reading: &reader)
            }
        case .probe:
            probe = try reader.reread(at: payload.offset, key: payload.key) { (reader: inout JSONReader) throws(JSONReader.Problem) in
                try ProbeSample(reading: &reader)
            }
        case .log:
            log = try reader.reread(at: payload.offset, key: payload.key) { (reader: inout JSONReader) throws(JSONReader.Problem) in
                try LogEntry(reading: &reader)
            }
        }
    }
}

extension ContainerStateReport {
    init(reading reader: inout JSONReader) throws(JSONReader.Problem) {
        var id: String?
        var state: ContainerInstance.State?
        var restarts: Int?
        var version: String?
        var detail: String?
        var runtimeInstanceID: String?
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Problem) in
            switch key {
            case "id": id = try reader.readString()
            case "state": state = try reader.readEnum(ContainerInstance.State.self)
            case "restarts": restarts = try reader.readInt()
            case "version": version = reader.readNull() ? nil : try reader.readString()
            case "detail": detail = reader.readNull() ? nil : try reader.readString()
            case "runtimeInstanceID": runtimeInstanceID = reader.readNull() ? nil : try reader.readString()
            default: throw reader.unknownField()
            }
        }
        self.init(
            id: try reader.required(id, "id"), state: try reader.required(state, "state"), restarts: try reader.required(restarts, "restarts"),
            version: version, detail: detail, runtimeInstanceID: runtimeInstanceID)
    }
}

extension HostMetricsReport {
    init(reading reader: inout JSONReader) throws(JSONReader.Problem) {
        var load1: Double?
        var memoryAvailableBytes: Int64?
        var diskFreeBytes: Int64?
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Problem) in
            switch key {
            case "load1": load1 = try reader.readDouble()
            case "memoryAvailableBytes": memoryAvailableBytes = try reader.readInt64()
            case "diskFreeBytes": diskFreeBytes = try reader.readInt64()
            default: throw reader.unknownField()
            }
        }
        self.init(
            load1: try reader.required(load1, "load1"), memoryAvailableBytes: try reader.required(memoryAvailableBytes, "memoryAvailableBytes"),
            diskFreeBytes: try reader.required(diskFreeBytes, "diskFreeBytes"))
    }
}

extension ProbeSample {
    init(reading reader: inout JSONReader) throws(JSONReader.Problem) {
        var app: String?
        var service: String?
        var container: String?
        var probe: String?
        var latency: Double?
        var success: Bool?
        var status: String?
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Problem) in
            switch key {
            case "app": app = try reader.readString()
            case "service": service = try reader.readString()
            case "container": container = try reader.readString()
            case "probe": probe = try reader.readString()
            case "latencyMilliseconds": latency = try reader.readDouble()
            case "success": success = try reader.readBool()
            case "status": status = reader.readNull() ? nil : try reader.readString()
            default: throw reader.unknownField()
            }
        }
        self.init(
            app: try reader.required(app, "app"), service: try reader.required(service, "service"),
            container: try reader.required(container, "container"), probe: try reader.required(probe, "probe"),
            latencyMilliseconds: try reader.required(latency, "latencyMilliseconds"), success: try reader.required(success, "success"),
            status: status)
    }
}

extension LogEntry {
    init(reading reader: inout JSONReader) throws(JSONReader.Problem) {
        var severity: LogSeverity?
        var layer: LogLayer?
        var source: String?
        var message: String?
        var container: String?
        var runtimeInstance: String?
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReader.Problem) in
            switch key {
            case "severity": severity = try reader.readEnum(LogSeverity.self)
            case "layer": layer = try reader.readEnum(LogLayer.self)
            case "source": source = try reader.readString()
            case "message": message = try reader.readString()
            case "container": container = reader.readNull() ? nil : try reader.readString()
            case "runtimeInstance": runtimeInstance = reader.readNull() ? nil : try reader.readString()
            default: throw reader.unknownField()
            }
        }
        self.init(
            severity: try reader.required(severity, "severity"), layer: try reader.required(layer, "layer"),
            source: try reader.required(source, "source"), message: try reader.required(message, "message"), container: container,
            runtimeInstance: runtimeInstance)
    }
}
