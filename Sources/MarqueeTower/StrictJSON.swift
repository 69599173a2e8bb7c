import Foundation
import Hummingbird

/// Decodes request bodies strictly: malformed JSON, wrong types and unknown fields are 400s naming the field.
enum StrictJSON {
    /// - Parameter allowed: permitted keys per object path (`""` is the top level, `"facts"` a nested object).
    /// - Parameter emptyAllowed: an empty body reads as `{}` (actions whose fields are all optional).
    static func decode<T: Decodable>(
        _ request: Request, context: some RequestContext, allowed: [String: Set<String>], emptyAllowed: Bool = false
    ) async throws -> T {
        var data = Data(try await body(of: request, context: context).readableBytesView)
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

    /// Reads a body with `read` (one pass over its bytes, see ``JSONReader``); its problems become
    /// the same 400s as ``decode(_:context:allowed:emptyAllowed:)``'s.
    static func read<T>(
        _ request: Request, context: some RequestContext, _ read: (UnsafeRawBufferPointer) throws(JSONReader.Problem) -> T
    ) async throws -> T {
        let buffer = try await body(of: request, context: context)
        do {
            return try buffer.withUnsafeReadableBytes { bytes throws(JSONReader.Problem) in try read(bytes) }
        } catch .malformed(let offset) {
            throw APIError(.badRequest, code: "body.invalid", message: "the body is not valid JSON (at byte \(offset))")
        } catch .unknownField(let field) {
            throw APIError(.badRequest, code: "body.unknown_field", message: "unknown field '\(field)'", field: field)
        } catch .missingField(let field) {
            throw APIError(.badRequest, code: "body.missing_field", message: "required field '\(field)' is missing", field: field)
        } catch .wrongType(let field, let expected) {
            throw APIError(.badRequest, code: "body.wrong_type", message: "field '\(field)' must be \(expected)", field: field)
        } catch .invalidValue(let field, let reason) {
            throw APIError(.badRequest, code: "body.invalid_value", message: "field '\(field)' \(reason)", field: field)
        }
    }

    private static func body(of request: Request, context: some RequestContext) async throws -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw APIError(.contentTooLarge, code: "body.too_large", message: "the body is larger than \(context.maxUploadSize) bytes")
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
