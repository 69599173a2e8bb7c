import Foundation
import Hummingbird
import Logging
import MarqueeCore

/// The agent's listener for its theater's other hosts (`marquee agent --peer-listen`): one route,
/// `POST /v1/peer/share`, answered by ``EdgeVault/answer(_:now:)``. Everything it gives out is
/// sealed to the asking host's ephemeral key, so plain HTTP on the theater's LAN is enough.
public enum PeerListener {
    /// Builds the listener on `host:port` (0 picks a free port; `onListening` receives it).
    public static func application(
        vault: EdgeVault, host: String, port: Int, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.post("v1/peer/share") { request, context -> Response in
            let body = try await request.body.collect(upTo: 16 << 10)
            let decoder = JSONDecoder()
            guard let ask = try? decoder.decode(PeerShareRequest.self, from: Data(body.readableBytesView)) else {
                return error(.badRequest, code: "body.invalid", message: "expected a signed share request")
            }
            do {
                let answer = try await vault.answer(ask)
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(answer))))
            } catch {
                logger.warning("Refused a peer's request for this host's share", metadata: ["peer": "\(ask.hostID)", "reason": "\(error)"])
                return Self.error(.forbidden, code: "peer.refused", message: "\(error)")
            }
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "marquee-agent-peer"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) }, logger: logger)
    }

    private static func error(_ status: HTTPResponse.Status, code: String, message: String) -> Response {
        let body = ["error": ["code": code, "message": message]]
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: (try? JSONEncoder().encode(body)) ?? Data())))
    }
}
