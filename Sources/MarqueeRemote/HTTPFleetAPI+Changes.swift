import AsyncHTTPClient
import Foundation
import MarqueeCore
import NIOCore
import NIOHTTP1

extension HTTPFleetAPI {
    /// The tower's Server-Sent Events stream (`GET /v1/changes`): one ``FleetChange`` per revision.
    ///
    /// The stream ends with an error when the connection drops; callers reconnect. A tower without
    /// the route (404) is polled instead.
    public func changes() -> AsyncThrowingStream<FleetChange, any Error> {
        let (stream, continuation) = AsyncThrowingStream<FleetChange, any Error>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let task = Task {
            do {
                var request = HTTPClientRequest(url: baseURL + "/v1/changes")
                request.headers.add(name: "Accept", value: "text/event-stream")
                if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
                let response: HTTPClientResponse
                do {
                    response = try await client.execute(request, timeout: .hours(24 * 365))
                } catch {
                    throw RemoteError.unreachable(url: baseURL, error: error)
                }
                guard response.status == .ok else {
                    let body = try await response.body.collect(upTo: 1 << 20)
                    if response.status == .notFound {
                        for try await change in pollingChanges(every: .seconds(2)) { continuation.yield(change) }
                        return
                    }
                    if let error = try? JSONDecoder().decode(APIErrorBody.self, from: Data(body.readableBytesView)) {
                        throw RemoteError.api(status: Int(response.status.code), body: error)
                    }
                    throw RemoteError.unexpectedResponse(url: baseURL + "/v1/changes", status: Int(response.status.code), detail: "")
                }
                var parser = ServerSentEventParser()
                for try await buffer in response.body {
                    for data in parser.feed(String(buffer: buffer)) {
                        continuation.yield(try Self.decoder.decode(FleetChange.self, from: Data(data.utf8)))
                    }
                }
                throw RemoteError.unreachable(url: baseURL, detail: "the change stream ended")
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// Splits a Server-Sent Events byte stream into the `data` of each event.
struct ServerSentEventParser {
    private var pending = ""

    /// Adds received text; returns the data of every event it completed (comments are skipped).
    mutating func feed(_ text: String) -> [String] {
        pending += text.replacingOccurrences(of: "\r\n", with: "\n")
        var completed: [String] = []
        while let range = pending.range(of: "\n\n") {
            let frame = pending[..<range.lowerBound]
            pending.removeSubrange(..<range.upperBound)
            let data = frame.split(separator: "\n").filter { $0.hasPrefix("data:") }.map { line in
                line.dropFirst(5).drop { $0 == " " }
            }
            if !data.isEmpty { completed.append(data.joined(separator: "\n")) }
        }
        return completed
    }
}
