import Foundation
import MarqueeCore

/// A heartbeat body carrying one report batch, encoded once by `JSONEncoder` (as ``TowerClient``
/// encodes it) and completed with each request's sequence number, so a load generator's cost per
/// request stays small beside the tower's.
struct ReportBodyTemplate: Sendable {
    private let prefix: String
    private let suffix: String

    /// A sequence number no real batch has, found and cut out of the encoded body.
    private static let marker: Int64 = 987_654_321_987_654

    init(records: [ReportRecord]) throws {
        struct Body: Encodable {
            var batches: [ReportBatch]
        }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let batch = ReportBatch(sequence: Self.marker, createdAt: Date(), records: records)
        let text = String(decoding: try encoder.encode(Body(batches: [batch])), as: UTF8.self)
        guard let range = text.range(of: String(Self.marker)) else { throw TemplateError.markerMissing }
        prefix = String(text[..<range.lowerBound])
        suffix = String(text[range.upperBound...])
    }

    /// The body for the batch numbered `sequence`.
    func body(sequence: Int64) -> String {
        prefix + String(sequence) + suffix
    }

    enum TemplateError: Error, CustomStringConvertible {
        case markerMissing

        var description: String { "the encoded report batch does not hold its sequence number as a plain integer" }
    }
}
