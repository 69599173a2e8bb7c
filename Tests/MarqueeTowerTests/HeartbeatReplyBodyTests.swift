import Foundation
import MarqueeCore
import NIOCore
import Testing

@testable import MarqueeTower

/// The hand-written heartbeat reply decodes to the same value `JSONEncoder` would have sent.
@Suite struct HeartbeatReplyBodyTests {
    @Test(arguments: ["au-adl-001-h1", #"quote" and \ back"#, "tab\tnew\nline\r\u{01}\u{1F}", "théâtre-ü-🎬", ""])
    func decodesToTheSameReply(hostID: String) throws {
        let reply = HeartbeatReply(
            hostID: hostID, status: .online, heartbeatSeconds: 10, acknowledgedSequence: 9_007_199_254_740_993, desiredRevision: -1)
        let buffer = HeartbeatReplyBody.encode(reply)
        let decoded = try JSONDecoder().decode(HeartbeatReply.self, from: Data(buffer.readableBytesView))
        #expect(decoded == reply)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
        #expect(Set(object.keys) == ["hostID", "status", "heartbeatSeconds", "acknowledgedSequence", "desiredRevision"])
    }

    @Test func everyStatusRoundTrips() throws {
        for status in HostStatus.allCases {
            let reply = HeartbeatReply(hostID: "h", status: status, heartbeatSeconds: 1, acknowledgedSequence: 0)
            let buffer = HeartbeatReplyBody.encode(reply)
            #expect(try JSONDecoder().decode(HeartbeatReply.self, from: Data(buffer.readableBytesView)) == reply)
        }
    }
}
