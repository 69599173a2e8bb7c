import Foundation
import MarqueeCore
import Testing

@Suite struct ReportRecordCodingTests {
    private func decode(_ json: String) throws -> ReportRecord {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ReportRecord.self, from: Data(json.utf8))
    }

    /// Every kind comes back as it was sent.
    @Test func eachKindRoundTrips() throws {
        let time = Date(timeIntervalSince1970: 1_795_000_000)
        let records: [ReportRecord] = [
            .container(
                ContainerStateReport(id: "c1", state: .running, restarts: 2, version: "1.4", detail: nil, runtimeInstanceID: "4242"), at: time),
            .hostMetrics(HostMetricsReport(load1: 0.5, memoryAvailableBytes: 1 << 30, diskFreeBytes: 5 << 30), at: time),
            .log(LogEntry(severity: .warning, layer: .kernel, source: "kmsg", message: "sched: RT throttling activated"), at: time),
        ]
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        for record in records {
            #expect(try decode(String(decoding: try encoder.encode(record), as: UTF8.self)) == record)
        }
    }

    /// Only the payload named by `kind` is read; another one beside it is ignored, and a record
    /// without its payload still decodes (the tower skips it) rather than failing the whole batch.
    @Test func onlyThePayloadOfTheKindIsRead() throws {
        let mixed = try decode(
            #"{"kind":"log","time":"2026-11-28T10:00:00Z","log":{"severity":"info","layer":"app","source":"stdout","message":"hi"},"container":{"id":"c1","state":"running","restarts":0}}"#
        )
        #expect(mixed.log?.message == "hi")
        #expect(mixed.container == nil)
        let bare = try decode(#"{"kind":"container","time":"2026-11-28T10:00:00Z"}"#)
        #expect(bare.kind == .container && bare.container == nil)
        #expect(throws: DecodingError.self) { try decode(#"{"kind":"container"}"#) }
        #expect(throws: DecodingError.self) { try decode(#"{"kind":"gossip","time":"2026-11-28T10:00:00Z"}"#) }
    }
}
