import Foundation
import MarqueeCore
import Synchronization

/// Where background work leaves events for the UI thread, with a pipe that wakes the UI's `poll`.
///
/// It also remembers the last published data, so an unchanged refresh posts nothing and an idle
/// console does not redraw.
final class Mailbox: Sendable {
    private struct Contents {
        var events: [ConsoleEvent] = []
        var last: FleetData?
        var failing = false
    }

    private let contents = Mutex(Contents())
    /// Becomes readable whenever an event is posted.
    let readDescriptor: Int32
    /// Writing a byte here wakes the UI (used by the SIGWINCH handler).
    let writeDescriptor: Int32

    init() throws {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw ConsoleError.terminalUnavailable }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    func post(_ event: ConsoleEvent) {
        contents.withLock { $0.events.append(event) }
        wake()
    }

    /// Posts `data` only if it differs from the last data posted (or the last refresh failed).
    func publish(_ data: FleetData, at time: Date) {
        let changed = contents.withLock { contents -> Bool in
            guard contents.failing || contents.last != data else { return false }
            contents.last = data
            contents.failing = false
            contents.events.append(.dataLoaded(data, at: time))
            return true
        }
        if changed { wake() }
    }

    func fail(_ message: String) {
        contents.withLock {
            $0.failing = true
            $0.events.append(.dataFailed(message))
        }
        wake()
    }

    /// Takes every pending event and empties the wake pipe.
    func drain() -> [ConsoleEvent] {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(readDescriptor, &scratch, scratch.count) > 0 {}
        return contents.withLock { contents in
            defer { contents.events.removeAll() }
            return contents.events
        }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }
}
