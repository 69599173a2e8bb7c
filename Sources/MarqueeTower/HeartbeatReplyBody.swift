import Hummingbird
import MarqueeCore

/// The heartbeat's answer written straight into a buffer.
///
/// Every host calls `POST /v1/agent/heartbeat` every few seconds, so this reply is the tower's
/// most frequent; five scalar fields do not need `JSONEncoder`'s generic machinery (it was 4 % of
/// the tower's CPU under the heartbeat benchmark). The bytes decode to the same ``HeartbeatReply``
/// (a test holds the two to each other).
struct HeartbeatReplyBody: ResponseGenerator {
    let reply: HeartbeatReply

    init(_ reply: HeartbeatReply) {
        self.reply = reply
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let buffer = Self.encode(reply)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(buffer.readableBytes)],
            body: .init(byteBuffer: buffer))
    }

    /// `{"hostID":…,"status":…,"heartbeatSeconds":…,"acknowledgedSequence":…,"desiredRevision":…}`.
    static func encode(_ reply: HeartbeatReply) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(160 + reply.hostID.utf8.count)
        buffer.writeStaticString(#"{"hostID":"#)
        writeJSONString(reply.hostID, to: &buffer)
        buffer.writeStaticString(#","status":"#)
        writeJSONString(reply.status.rawValue, to: &buffer)
        buffer.writeStaticString(#","heartbeatSeconds":"#)
        buffer.writeString(String(reply.heartbeatSeconds))
        buffer.writeStaticString(#","acknowledgedSequence":"#)
        buffer.writeString(String(reply.acknowledgedSequence))
        buffer.writeStaticString(#","desiredRevision":"#)
        buffer.writeString(String(reply.desiredRevision))
        buffer.writeStaticString("}")
        return buffer
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped (RFC 8259 §7).
    static func writeJSONString(_ string: String, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.writeStaticString(#"\""#)
            case UInt8(ascii: "\\"): buffer.writeStaticString(#"\\"#)
            case 0x0A: buffer.writeStaticString(#"\n"#)
            case 0x0D: buffer.writeStaticString(#"\r"#)
            case 0x09: buffer.writeStaticString(#"\t"#)
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                buffer.writeStaticString(#"\u00"#)
                buffer.writeInteger(hex[Int(byte >> 4)])
                buffer.writeInteger(hex[Int(byte & 0x0F)])
            default: buffer.writeInteger(byte)
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}
