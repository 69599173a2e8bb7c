import Foundation

/// Runs blocking test code (waiting for processes, polling files) on its own thread.
///
/// Swift's cooperative pool has one thread per core (two here); end-to-end tests that block it
/// would starve every other test running in parallel. `Blocking.run` moves the work off the pool
/// and awaits its result. A failed `#expect` inside still fails the run with its file and line
/// (Swift Testing reports it as «unknown» test: the thread has no test context).
public enum Blocking {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
