import Foundation
import Hummingbird

/// Decodes request bodies strictly: malformed JSON, wrong types and unknown fields are 400s naming the field.
enum StrictJSON {
    /// - Parameter allowed: permitted keys per object path (`""` is the top level, `"facts"` a nested object).
    static func decode<T: Decodable>(_ request: Request, context: some RequestContext, allowed: [String: Set<String>]) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw APIError(.contentTooLarge, code: "body.too_large", message: "the body is larger than \(context.maxUploadSize) bytes")
        }
        let data = Data(buffer.readableBytesView)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError(.badRequest, code: "body.invalid", message: "the body must be a JSON object")
        }
        try checkKeys(object, path: "", allowed: allowed)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            let field = (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
            throw APIError(.badRequest, code: "body.missing_field", message: "required field '\(field)' is missing", field: field)
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError(.badRequest, code: "body.wrong_type", message: "field '\(field)' must be \(type)", field: field)
        } catch {
            throw APIError(.badRequest, code: "body.invalid", message: "the body is not valid: \(error)")
        }
    }

    private static func checkKeys(_ object: [String: Any], path: String, allowed: [String: Set<String>]) throws {
        guard let keys = allowed[path] else { return }
        for (key, value) in object {
            let field = path.isEmpty ? key : "\(path).\(key)"
            guard keys.contains(key) else {
                throw APIError(.badRequest, code: "body.unknown_field", message: "unknown field '\(field)'", field: field)
            }
            if let nested = value as? [String: Any] { try checkKeys(nested, path: field, allowed: allowed) }
        }
    }
}
