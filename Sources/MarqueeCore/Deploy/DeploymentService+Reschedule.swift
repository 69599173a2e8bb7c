import Foundation
import Logging
import Synchronization

extension DeploymentService {
    /// Moves containers off hosts that were cordoned, or have been offline for longer than
    /// ``rescheduleAfter``, onto the other schedulable hosts of their site, keeping every instance
    /// that is already on a good host where it is. (A host that reboots comes back within the
    /// grace and keeps its containers.)
    ///
    /// Sites with no schedulable host are left alone (the site is offline: its containers come back
    /// with it). An application that no longer fits is reported once by a `container.unschedulable`
    /// event and retried on every call. Returns how many containers moved.
    @discardableResult
    public func reschedule() async throws -> Int {
        try await gate.run { try await self.rescheduleLocked() }
    }

    private func rescheduleLocked() async throws -> Int {
        let now = clock.now()
        let displaced = try await store.displacedContainers(offlineBefore: now.addingTimeInterval(-rescheduleAfter))
        let stillStuck = Set(displaced.map { "\($0.siteID)/\($0.container.app)" })
        unschedulableReported.withLock { $0.formIntersection(stillStuck) }
        guard !displaced.isEmpty else { return 0 }
        var moved = 0
        var hosts: Set<String> = []
        let groups = Dictionary(grouping: displaced) { "\($0.siteID)/\($0.container.app)" }
        for key in groups.keys.sorted() {
            let group = groups[key]!
            let siteID = group[0].siteID
            let application = group[0].container.app
            let candidates = try await store.schedulingCandidates(siteID: siteID, excludingApplication: application)
            let before = try await store.observations(application: application, siteIDs: [siteID])[siteID]?.containers ?? []
            var containers = before
            var movedHere: [ContainerInstance] = []
            var problem: String?
            for version in Set(group.map(\.container.version)).sorted() {
                guard let spec = try await store.applicationSpec(name: application, version: version) else {
                    problem = "\(application) \(version) has no stored spec"
                    continue
                }
                do {
                    let result = try SiteScheduler.reschedule(spec, current: containers, on: candidates)
                    containers = result.containers
                    movedHere += result.moved
                } catch {
                    problem = error.description
                }
            }
            if let problem {
                let first = unschedulableReported.withLock { $0.insert(key).inserted }
                if first {
                    let event = Event(
                        time: now, kind: "container.unschedulable", severity: .warning, subject: "site/\(siteID)",
                        message: "cannot move \(application) off \(describe(group)) at \(siteID): \(problem)", actor: "marquee deploy")
                    _ = try await store.replaceContainers(siteID: siteID, application: application, with: containers, events: [event])
                    logger.warning("container.unschedulable", metadata: ["site": "\(siteID)", "app": "\(application)", "reason": "\(problem)"])
                }
                if movedHere.isEmpty { continue }
            }
            guard !movedHere.isEmpty else { continue }
            // Make before break on cordoned hosts: an instance there keeps running until its
            // replacement runs, so a service never drops to zero healthy (an offline host's are gone anyway).
            let cordoned = Set(group.filter { $0.hostStatus == .cordoned }.map(\.container.hostID))
            let waiting = before.filter { old in
                guard cordoned.contains(old.hostID), let key = SiteScheduler.ReplicaKey(old) else { return false }
                let replacement = containers.first { $0.hostID != old.hostID && $0.version == old.version && SiteScheduler.ReplicaKey($0) == key }
                return replacement?.state != .running
            }
            containers += waiting
            let beforeIDs = Set(before.map(\.id))
            let started = containers.filter { !beforeIDs.contains($0.id) }
            let stopped = before.filter { old in !containers.contains { $0.id == old.id } }
            guard !started.isEmpty || !stopped.isEmpty else { continue }
            let destinations = Set(started.map(\.hostID)).sorted().joined(separator: ", ")
            let message =
                started.isEmpty
                ? "stopped \(stopped.count) \(application) container\(stopped.count == 1 ? "" : "s") on \(describe(group)): replacements run"
                : waiting.isEmpty
                    ? "moved \(started.count) \(application) container\(started.count == 1 ? "" : "s") off \(describe(group)) to \(destinations)"
                    : "starting \(started.count) \(application) replacement\(started.count == 1 ? "" : "s") on \(destinations); those on \(describe(group)) stop once they run"
            let event = Event(
                time: now, kind: "container.rescheduled", severity: .notice, subject: "site/\(siteID)", message: message, actor: "marquee deploy")
            hosts.formUnion(try await store.replaceContainers(siteID: siteID, application: application, with: containers, events: [event]))
            moved += started.count
        }
        if !hosts.isEmpty { try await desiredStateChanged(hosts.sorted()) }
        return moved
    }

    /// "h1 (offline)", "h1 (offline), h2 (cordoned)".
    private func describe(_ group: [DisplacedContainer]) -> String {
        var seen: [String: HostStatus] = [:]
        for item in group { seen[item.container.hostID] = item.hostStatus }
        return seen.keys.sorted().map { "\($0) (\(seen[$0]!.rawValue))" }.joined(separator: ", ")
    }
}
