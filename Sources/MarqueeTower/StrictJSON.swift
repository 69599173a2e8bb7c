import Foundation
import Hummingbird

/// Decodes request bodies strictly: malformed JSON, wrong types and unknown fields are 400s naming the field.
enum StrictJSON {
    /// - Parameter allowed: permitted keys per object path (`""` is the top level, `"facts"` a nested object).
    /// - Parameter emptyAllowed: an empty body reads as `{}` (actions whose fields are all optional).
    static func decode<T: Decodable>(
        _ request: Request, context: some RequestContext, allowed: [String: Set<String>], emptyAllowed: Bool = false
    ) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw APIError(.contentTooLarge, code: "body.too_large", message: "the body is larger than \(context.maxUploadSize) bytes")
        }
        var data = Data(buffer.readableBytesView)
        if emptyAllowed && data.isEmpty { data = Data("{}".utf8) }
        do {
            try data.withUnsafeBytes { bytes in try JSONKeyScanner.check(bytes, allowed: allowed) }
        } catch JSONKeyScanner.Problem.unknownKey(let field) {
            throw APIError(.badRequest, code: "body.unknown_field", message: "unknown field '\(field)'", field: field)
        } catch {
            throw APIError(.badRequest, code: "body.invalid", message: "the body must be a JSON object")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            let field = fieldPath(context.codingPath + [key])
            throw APIError(.badRequest, code: "body.missing_field", message: "required field '\(field)' is missing", field: field)
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            let field = fieldPath(context.codingPath)
            throw APIError(.badRequest, code: "body.wrong_type", message: "field '\(field)' must be \(type)", field: field)
        } catch {
            throw APIError(.badRequest, code: "body.invalid", message: "the body is not valid: \(error)")
        }
    }

    /// `batches[0].sequence` from a decoding path.
    private static func fieldPath(_ path: [any CodingKey]) -> String {
        var field = ""
        for key in path {
            if let index = key.intValue {
                field += "[\(index)]"
            } else {
                field += field.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return field
    }
}
