import Foundation
import MarqueeCore
import Testing

@testable import MarqueeSim

@Suite struct ReportBodyTemplateTests {
    /// The benchmark's prepared body is what `TowerClient` would send for that batch.
    @Test func theBodyCarriesEachRequestsSequenceNumber() throws {
        struct Body: Decodable {
            var batches: [ReportBatch]
        }
        let records = TowerBenchmark.records(at: Date(timeIntervalSince1970: 1_795_000_000))
        let template = try ReportBodyTemplate(records: records)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        for sequence: Int64 in [1, 42, 1_000_001] {
            let body = template.body(sequence: sequence)
            let decoded = try decoder.decode(Body.self, from: Data(body.utf8))
            #expect(decoded.batches.map(\.sequence) == [sequence])
            #expect(decoded.batches.first?.records == records)
        }
    }
}
