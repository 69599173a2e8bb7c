import Foundation
import Logging
import MarqueeAgent
import MarqueeCore
import MarqueeRemote
import MarqueeTestSupport
import Synchronization
import Testing

/// A batch the tower refuses as too large (413) must not hold back every report after it.
@Suite struct OversizedBatchTests {
    /// Takes batches of at most `limit` records; a heartbeat carrying a bigger one is refused whole.
    final class PickyTower: AgentTransport {
        let limit: Int
        let received = Mutex<[Int64]>([])
        let refusals = Mutex(0)

        init(limit: Int) { self.limit = limit }

        func enroll(token: String?, site: String?, facts: HostFacts) async throws -> AgentEnrollment {
            AgentEnrollment(hostID: "h1", siteID: "s1", credential: "c", heartbeatSeconds: 10, acknowledgedSequence: 0)
        }

        func heartbeat(credential: String, facts: HostFacts?, batches: [ReportBatch]) async throws -> HeartbeatReply {
            if batches.contains(where: { $0.records.count > limit }) {
                refusals.withLock { $0 += 1 }
                throw RemoteError.api(status: 413, body: APIErrorBody(code: "body.too_large", message: "the body is larger than 2097152 bytes"))
            }
            let last = received.withLock { sequences in
                sequences += batches.map(\.sequence)
                return sequences.max() ?? 0
            }
            return HeartbeatReply(hostID: "h1", status: .online, heartbeatSeconds: 10, acknowledgedSequence: last)
        }

        func desiredState(credential: String, after: Int64?, waitSeconds: Int) async throws -> DesiredState {
            DesiredState(hostID: "h1", revision: 0, containers: [])
        }
    }

    struct Silent: HostReporter {
        func sample(at time: Date) async -> [ReportRecord] { [] }
    }

    @Test func anOversizedBatchIsDroppedAndTheRestFlows() async throws {
        let record = ReportRecord.hostMetrics(HostMetricsReport(load1: 1, memoryAvailableBytes: 2, diskFreeBytes: 3), at: Fixtures.now)
        let outbox = MemoryOutbox()
        await outbox.append([record], at: Fixtures.now)
        await outbox.append(Array(repeating: record, count: 50), at: Fixtures.now)  // too large for this tower
        await outbox.append([record], at: Fixtures.now)
        let tower = PickyTower(limit: 10)
        let agent = EdgeAgent(
            tower: tower, enrollToken: "t", facts: { Fixtures.fleet(theaters: 1).hosts[0].facts }, credentials: MemoryCredentialStore(),
            outbox: outbox, reporter: Silent(), clock: ManualClock(), logger: Logger(label: "test"))
        let running = Task { try await agent.run() }
        // The virtual clock's sleeps end at once: wait for the agent to get past the refusal.
        for _ in 0..<10_000 where tower.received.withLock({ !$0.contains(3) }) { await Task.yield() }
        running.cancel()
        _ = try? await running.value
        // [1, 2, 3] refused → [1] goes → [2, 3] refused → [2] refused and dropped → [3] goes
        #expect(tower.received.withLock { $0 } == [1, 3])
        #expect(tower.refusals.withLock { $0 } == 3)
        #expect(await outbox.status().pending == 0)
    }
}
