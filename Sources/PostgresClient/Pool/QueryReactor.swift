import CLibPQ
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Waits for the answers of statements sent without blocking, on one thread, with epoll.
///
/// A single statement on an idle connection is sent from the caller's own task (a non-blocking write)
/// and its answer is read here when the socket becomes readable, so a query costs one wake-up instead
/// of a hand-off to a pool thread that then sleeps in `recv`. Each socket is armed one-shot: the
/// reactor hears of it once per statement.
final class QueryReactor: Sendable {
    private struct Waiter: @unchecked Sendable {
        // The connection is owned by the waiting task's lease until the continuation resumes.
        let connection: PostgresConnection
        let continuation: CheckedContinuation<PostgresRows, any Error>
    }

    private let epoll: Int32
    private let wakeup: Int32
    private let waiters = Mutex<[Int32: Waiter]>([:])
    private let stopped = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)

    init() {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeup = eventfd(0, Int32(EFD_CLOEXEC))
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeup
        epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &event)
        let thread = Thread { [self] in run() }
        thread.name = "satang-pg-reactor"
        thread.start()
    }

    /// Sends `name` on `connection` and suspends until its result is read.
    func execute(_ connection: PostgresConnection, prepared name: String, wire: [WireParameter]) async throws -> PostgresRows {
        try await withCheckedThrowingContinuation { continuation in
            let socket = connection.socketDescriptor
            do {
                let pendingOutput = try connection.send(prepared: name, wire: wire)
                waiters.withLock { $0[socket] = Waiter(connection: connection, continuation: continuation) }
                arm(socket, writable: pendingOutput)
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// Stops the reactor thread; call once no statement is in flight.
    func shutdown() {
        let already = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !already else { return }
        var one: UInt64 = 1
        _ = write(wakeup, &one, 8)
        finished.wait()
        close(epoll)
        close(wakeup)
    }

    private func arm(_ socket: Int32, writable: Bool) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLONESHOT.rawValue | (writable ? EPOLLOUT.rawValue : 0)
        event.data.fd = socket
        // A socket seen before is re-armed; a new one (a reconnect may reuse the number) is added.
        if epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &event) != 0 {
            epoll_ctl(epoll, EPOLL_CTL_ADD, socket, &event)
        }
    }

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        loop: while true {
            let count = epoll_wait(epoll, &events, Int32(events.count), -1)
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in 0..<Int(count) {
                let socket = events[index].data.fd
                if socket == wakeup { break loop }
                guard let waiter = waiters.withLock({ $0[socket] }) else { continue }
                if events[index].events & EPOLLOUT.rawValue != 0 {
                    switch Result(catching: { try waiter.connection.flushOutput() }) {
                    case .success(let stillPending):
                        arm(socket, writable: stillPending)
                        continue
                    case .failure(let error):
                        finish(socket, waiter, .failure(error))
                        continue
                    }
                }
                switch waiter.connection.readAvailable() {
                case .needMoreInput: arm(socket, writable: false)
                case .finished(let outcome): finish(socket, waiter, outcome.mapError { $0 })
                }
            }
        }
        finished.signal()
    }

    private func finish(_ socket: Int32, _ waiter: Waiter, _ outcome: Result<PostgresRows, any Error>) {
        waiters.withLock { _ = $0.removeValue(forKey: socket) }
        waiter.continuation.resume(with: outcome)
    }
}
