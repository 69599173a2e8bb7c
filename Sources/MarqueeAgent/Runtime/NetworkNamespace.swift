import Foundation

/// Work inside a Linux network namespace, from the agent's own process.
///
/// `setns(2)` changes the namespace of the calling *thread* only, so each call runs on a thread of
/// its own that enters the namespace, does the work and ends: no thread of the agent's pools ever
/// changes namespace. A socket made there stays in that namespace after the thread is gone.
enum NetworkNamespace {
    /// Why entering a namespace failed.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The inode that identifies the namespace at `path` (`/proc/PID/ns/net`), or `nil`.
    static func inode(_ path: String) -> UInt? {
        var status = stat()
        return stat(path, &status) == 0 ? UInt(status.st_ino) : nil
    }

    /// The agent's own network namespace.
    static var own: UInt? { inode("/proc/self/ns/net") }

    /// Runs `body` on a new thread that has entered the network namespace at `path`.
    static func inside<T: Sendable>(_ path: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread {
                do {
                    try enter(path)
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "marquee-netns"
            thread.start()
        }
    }

    /// `setns(2)` is declared only under `_GNU_SOURCE`, which Swift's Glibc module does not set.
    private typealias SetNamespace = @convention(c) (Int32, Int32) -> Int32
    private static let cloneNewNet: Int32 = 0x4000_0000

    private static func enter(_ path: String) throws {
        guard let symbol = dlsym(nil, "setns") else { throw Failure(description: "this C library has no setns(2)") }
        let setns = unsafeBitCast(symbol, to: SetNamespace.self)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard setns(descriptor, cloneNewNet) == 0 else {
            throw Failure(description: "cannot enter the network namespace \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Brings the loopback interface up (a new namespace starts with it down). Call inside.
    static func bringLoopbackUp() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "no socket for the loopback interface: \(String(cString: strerror(errno)))") }
        defer { close(socket) }
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { name in
            for (index, byte) in "lo".utf8.enumerated() { name[index] = byte }
        }
        guard ioctl(socket, UInt(SIOCGIFFLAGS), &request) == 0 else {
            throw Failure(description: "cannot read the loopback interface: \(String(cString: strerror(errno)))")
        }
        request.ifr_ifru.ifru_flags |= Int16(IFF_UP)
        guard ioctl(socket, UInt(SIOCSIFFLAGS), &request) == 0 else {
            throw Failure(description: "cannot bring the loopback interface up: \(String(cString: strerror(errno)))")
        }
    }

    /// A TCP connection to 127.0.0.1:`port` within `timeout` seconds, or `nil`. The caller closes it.
    static func connect(port: Int, timeout: TimeInterval) -> Int32? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { return nil }
        _ = fcntl(socket, F_SETFL, fcntl(socket, F_GETFL) | O_NONBLOCK)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result == 0 { return socket }
        var error: Int32 = errno
        if error == EINPROGRESS {
            var descriptor = pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)
            if poll(&descriptor, 1, Int32(timeout * 1000)) == 1 {
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length)
                if error == 0 { return socket }
            }
        }
        close(socket)
        return nil
    }

    /// `GET path` over a connected socket: the response's status code, or why there is none.
    static func httpStatus(on socket: Int32, port: Int, path: String, timeout: TimeInterval) -> Result<Int, Failure> {
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUser-Agent: marquee-agent\r\nConnection: close\r\n\r\n"
        let bytes = Array(request.utf8)
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        var sent = 0
        while sent < bytes.count {
            guard wait(socket, for: Int16(POLLOUT), until: deadline) else { return .failure(Failure(description: "timed out")) }
            let count = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return .failure(Failure(description: "connection closed while sending")) }
            sent += count
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while !response.contains(UInt8(ascii: "\n")), response.count < 8_192 {
            guard wait(socket, for: Int16(POLLIN), until: deadline) else { return .failure(Failure(description: "timed out")) }
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            response += buffer[0..<count]
        }
        let line = String(decoding: response.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let fields = line.split(separator: " ")
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/"), let code = Int(fields[1]) else {
            return .failure(Failure(description: line.isEmpty ? "no HTTP response" : "not an HTTP response: \(line.prefix(40))"))
        }
        return .success(code)
    }

    private static func wait(_ socket: Int32, for events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        let left = deadline - ContinuousClock.now
        let milliseconds = left.components.seconds * 1_000 + left.components.attoseconds / 1_000_000_000_000_000
        guard milliseconds > 0 else { return false }
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        return poll(&descriptor, 1, Int32(milliseconds)) == 1
    }
}
