import Foundation
import MarqueeCore
import Testing

@testable import MarqueeTower

/// The one-pass heartbeat reader reads what `JSONDecoder` reads, and refuses what it refuses, with
/// the field named.
@Suite struct HeartbeatBodyTests {
    /// The body as the tower decoded it before (`JSONDecoder`, `.iso8601`).
    private struct Reference: Codable {
        var facts: HostFacts?
        var batches: [ReportBatch]?
    }

    private func read(_ json: String) throws -> HeartbeatBody {
        try Array(json.utf8).withUnsafeBytes { try HeartbeatBody.read($0) }
    }

    private func problem(_ json: String) -> JSONReader.Problem? {
        do {
            _ = try read(json)
            return nil
        } catch {
            return error as? JSONReader.Problem
        }
    }

    private func reference(_ json: String) throws -> HeartbeatBody {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let body = try decoder.decode(Reference.self, from: Data(json.utf8))
        return HeartbeatBody(facts: body.facts, batches: body.batches ?? [])
    }

    /// Text that needs escaping or is not ASCII, as agents' log lines often are.
    private static let awkward = [
        "plain", "", "quote \" and backslash \\", "slash / and tab \t and newline \n", "bell \u{07} nul-free control \u{1F}",
        "héllo wörld", "emoji 🎬 outside the BMP", "日本語のログ", "\u{2028} line separator",
    ]

    private static func randomBody(_ generator: inout some RandomNumberGenerator, batches: Int) -> Reference {
        func text() -> String { awkward.randomElement(using: &generator)! + String(Int.random(in: 0...999_999, using: &generator)) }
        let time = Date(timeIntervalSince1970: Double(Int.random(in: 1_700_000_000...1_900_000_000, using: &generator)))
        var records: [ReportRecord] = []
        for _ in 0..<Int.random(in: 0...8, using: &generator) {
            switch ReportRecord.Kind.allCases.randomElement(using: &generator)! {
            case .container:
                records.append(
                    .container(
                        ContainerStateReport(
                            id: text(), state: ContainerInstance.State.allCases.randomElement(using: &generator)!,
                            restarts: Int.random(in: 0...Int.max, using: &generator), version: Bool.random(using: &generator) ? text() : nil,
                            detail: Bool.random(using: &generator) ? text() : nil, runtimeInstanceID: Bool.random(using: &generator) ? text() : nil),
                        at: time))
            case .hostMetrics:
                records.append(
                    .hostMetrics(
                        HostMetricsReport(
                            load1: Double.random(in: -1e300...1e300, using: &generator),
                            memoryAvailableBytes: Int64.random(in: .min ... .max, using: &generator),
                            diskFreeBytes: Int64.random(in: 0...(1 << 50), using: &generator)), at: time))
            case .probe:
                records.append(
                    .probe(
                        ProbeSample(
                            app: text(), service: text(), container: text(), probe: text(),
                            latencyMilliseconds: Double.random(in: 0...5000, using: &generator),
                            success: Bool.random(using: &generator), status: Bool.random(using: &generator) ? text() : nil), at: time))
            case .log:
                records.append(
                    .log(
                        LogEntry(
                            severity: LogSeverity.allCases.randomElement(using: &generator)!,
                            layer: LogLayer.allCases.randomElement(using: &generator)!,
                            source: text(), message: text(), container: Bool.random(using: &generator) ? text() : nil,
                            runtimeInstance: Bool.random(using: &generator) ? text() : nil), at: time))
            }
        }
        let facts = HostFacts(
            hostname: text(), serialNumber: text(), osName: text(), osVersion: text(), kernelRelease: text(), runtimeName: text(),
            runtimeVersion: text(), agentVersion: text(), cpuCores: Int.random(in: 1...512, using: &generator),
            memoryBytes: Int64.random(in: 0...(1 << 45), using: &generator), diskBytes: Int64.random(in: 0...(1 << 50), using: &generator))
        return Reference(
            facts: Bool.random(using: &generator) ? facts : nil,
            batches: (0..<batches).map { ReportBatch(sequence: Int64($0 + 1), createdAt: time, records: records) })
    }

    /// Bodies encoded by `JSONEncoder` (as agents send them) read the same as `JSONDecoder` reads them.
    @Test func readsWhatJSONDecoderReads() throws {
        var generator = SystemRandomNumberGenerator()
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        for round in 0..<300 {
            let body = Self.randomBody(&generator, batches: round % 4)
            let json = String(decoding: try encoder.encode(body), as: UTF8.self)
            let expected = try reference(json)
            #expect(try read(json) == expected, "\(json)")
        }
    }

    /// Hand-written JSON: whitespace, escapes JSONEncoder never writes, nulls for optional fields.
    @Test func readsHandWrittenJSON() throws {
        let json = """
             { "batches" : [ { "sequence" : 7 , "createdAt" : "2026-11-28T10:00:00Z" , "records" : [
               { "time" : "2026-11-28T10:00:01Z", "kind" : "log", "log" : { "severity" : "error", "layer" : "kernel",
                 "source" : "kmsg", "message" : "\\u00e9\\ud83c\\udfac \\b\\f\\r\\n\\t\\/\\\\\\"", "container" : null } },
               { "kind" : "hostMetrics", "time" : "2026-11-28T10:00:02Z", "hostMetrics" : { "load1" : -1.5e-3, "memoryAvailableBytes" : 0,
                 "diskFreeBytes" : -9223372036854775808 } },
               { "kind" : "probe", "time" : "2026-11-28T10:00:03Z", "container": null, "probe" : { "app" : "a", "service" : "s",
                 "container" : "c", "probe" : "liveness", "latencyMilliseconds" : 12, "success" : false, "status" : null } }
             ] } ], "facts" : null }\r\n
            """
        let body = try read(json)
        #expect(body == (try reference(json)))
        #expect(body.batches[0].records[0].log?.message == "é🎬 \u{08}\u{0C}\r\n\t/\\\"")
        #expect(body.batches[0].records[1].hostMetrics?.diskFreeBytes == .min)
        #expect(body.facts == nil)
        #expect(try read("{}") == HeartbeatBody(facts: nil, batches: []))
        #expect(try read(#"{"batches":null}"#) == HeartbeatBody(facts: nil, batches: []))
    }

    /// Like the `Decodable` form, only the payload named by `kind` is read: another one beside it is
    /// skipped even when it would not decode, and a record without its payload is kept.
    @Test func readsOnlyThePayloadOfTheKind() throws {
        let json = #"""
            {"batches":[{"sequence":1,"createdAt":"2026-11-28T10:00:00Z","records":[
              {"container":{"id":5},"kind":"log","time":"2026-11-28T10:00:00Z","log":{"severity":"info","layer":"app","source":"stdout","message":"hi"}},
              {"kind":"container","time":"2026-11-28T10:00:00Z"}]}]}
            """#
        let body = try read(json)
        #expect(body == (try reference(json)))
        #expect(body.batches[0].records[0].log?.message == "hi" && body.batches[0].records[0].container == nil)
        #expect(body.batches[0].records[1].kind == .container && body.batches[0].records[1].container == nil)
        // The payload of the kind is checked, and its field named, even when it came before `kind`.
        #expect(
            problem(
                #"{"batches":[{"sequence":1,"createdAt":"2026-11-28T10:00:00Z","records":[{"log":{"severity":"info"},"kind":"log","time":"2026-11-28T10:00:00Z"}]}]}"#
            )
                == .missingField("batches[0].records[0].log.layer"))
    }

    /// Each problem names the field the way ``StrictJSON`` does.
    @Test func namesTheFieldOfEachProblem() {
        let batch = #"{"sequence":1,"createdAt":"2026-11-28T10:00:00Z","records":[RECORD]}"#
        func body(_ record: String) -> String { #"{"batches":["# + batch.replacingOccurrences(of: "RECORD", with: record) + "]}" }
        let cases: [(String, JSONReader.Problem)] = [
            (#"{"batches":[],"extra":1}"#, .unknownField("extra")),
            (body(#"{"kind":"log","tmie":"x"}"#), .unknownField("batches[0].records[0].tmie")),
            (body(#"{"kind":"log"}"#), .missingField("batches[0].records[0].time")),
            (
                #"{"batches":[{"sequence":"1","createdAt":"2026-11-28T10:00:00Z","records":[]}]}"#,
                .wrongType(field: "batches[0].sequence", expected: "Int64")
            ),
            (
                #"{"batches":[{"sequence":1.5,"createdAt":"2026-11-28T10:00:00Z","records":[]}]}"#,
                .wrongType(field: "batches[0].sequence", expected: "Int64")
            ),
            (
                #"{"batches":[{"sequence":null,"createdAt":"2026-11-28T10:00:00Z","records":[]}]}"#,
                .wrongType(field: "batches[0].sequence", expected: "Int64")
            ),
            (
                #"{"batches":[{"sequence":99999999999999999999,"createdAt":"2026-11-28T10:00:00Z","records":[]}]}"#,
                .invalidValue(field: "batches[0].sequence", reason: "is out of range")
            ),
            (
                #"{"batches":[{"sequence":1,"createdAt":"yesterday","records":[]}]}"#,
                .invalidValue(field: "batches[0].createdAt", reason: "must be an ISO 8601 date like 2026-11-28T17:30:00Z")
            ),
            (
                body(#"{"kind":"gossip","time":"2026-11-28T10:00:00Z"}"#),
                .invalidValue(field: "batches[0].records[0].kind", reason: "must be one of container, hostMetrics, probe, log")
            ),
            (#"{"batches":{}}"#, .wrongType(field: "batches", expected: "an array")),
            (#"{"facts":[]}"#, .wrongType(field: "facts", expected: "an object")),
            (#"{"facts":{"hostname":"h"}}"#, .missingField("facts.serialNumber")),
            ("[]", .wrongType(field: "", expected: "an object")),
        ]
        for (json, expected) in cases {
            #expect(problem(json) == expected, "\(json)")
        }
    }

    /// Anything that is not exactly JSON is refused, not guessed at.
    @Test func refusesMalformedJSON() {
        let deep = #"{"batches":[{"sequence":1,"createdAt":"2026-11-28T10:00:00Z","records":[{"kind":"log","time":"2026-11-28T10:00:00Z","probe":"#
        let malformed = [
            "", "   ", "{", #"{"batches":[]"#, #"{"batches":[]}x"#, #"{"batches":[]}{}"#, #"{"batches":[],}"#, #"{"batches":[,]}"#,
            #"{batches:[]}"#, #"{"batches" []}"#, #"{"facts":nul}"#, #"{"facts":{"hostname":"a\qb"}}"#, #"{"facts":{"hostname":"\ud83c"}}"#,
            #"{"facts":{"hostname":"\udfac"}}"#, #"{"facts":{"hostname":"\u12"}}"#, "{\"facts\":{\"hostname\":\"tab\tinside\"}}",
            #"{"batches":[{"sequence":01}]}"#, #"{"batches":[{"sequence":-}]}"#, #"{"batches":[{"sequence":1.}]}"#,
            #"{"batches":[{"sequence":1e}]}"#, #"{"batches":[{"sequence":1,"createdAt":"2026-11-28T10:00:00Z","records":[]}]"#,
            deep + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}]}]}",
        ]
        for json in malformed {
            guard case .malformed = problem(json) else {
                Issue.record("\(json.prefix(80)) was not refused as malformed: \(String(describing: problem(json)))")
                continue
            }
        }
        let invalidUTF8 = Array(#"{"facts":{"hostname":"x"#.utf8) + [0xC3, 0x28] + Array(#""}}"#.utf8)
        let outcome = invalidUTF8.withUnsafeBytes { bytes in Result { () throws(JSONReader.Problem) in try HeartbeatBody.read(bytes) } }
        guard case .failure(.malformed) = outcome else {
            Issue.record("invalid UTF-8 was not refused: \(outcome)")
            return
        }
    }
}
