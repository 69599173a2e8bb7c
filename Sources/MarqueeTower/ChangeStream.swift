import Foundation
import Hummingbird
import MarqueeCore
import ServiceLifecycle

/// `GET /v1/changes`: the fleet's changes as Server-Sent Events, so consoles never poll.
///
/// Each new revision is one `event: change` whose data is a ``FleetChange`` (the revision and the
/// events recorded since the previous one). A comment line every 15 s keeps idle connections open
/// through proxies. A slow client gets the latest revision, never a backlog.
struct ChangeStream<API: FleetAPI> {
    let api: API
    let revisions: any RevisionObserving
    var keepAlive: Duration = .seconds(15)

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    func response() async throws -> Response {
        let firstEventID = try await api.events(EventQuery(limit: 1)).first?.id ?? 0
        let (frames, continuation) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let (api, revisions, keepAlive) = (self.api, self.revisions, self.keepAlive)
        let producer = Task {
            // A tower shutting down ends every stream, so consoles see it and it does not wait for them.
            await withGracefulShutdownHandler {
                await produce()
            } onGracefulShutdown: {
                continuation.finish()
            }
        }
        @Sendable func produce() async {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    var lastEventID = firstEventID
                    do {
                        for try await revision in revisions.revisionUpdates() {
                            let events = try await api.events(EventQuery(limit: 100, afterID: lastEventID))
                            if let newest = events.first?.id { lastEventID = newest }
                            let data = try Self.encoder.encode(FleetChange(revision: revision, events: events))
                            continuation.yield(
                                ByteBuffer(string: "event: change\nid: \(revision)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"))
                        }
                    } catch {}
                    continuation.finish()
                }
                group.addTask {
                    while (try? await Task.sleep(for: keepAlive)) != nil {
                        continuation.yield(ByteBuffer(string: ": keep-alive\n\n"))
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
        continuation.onTermination = { _ in producer.cancel() }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: ResponseBody(asyncSequence: frames))
    }
}
