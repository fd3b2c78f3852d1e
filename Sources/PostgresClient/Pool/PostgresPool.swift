import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A bounded pool of libpq connections for async callers.
///
/// Each borrowed connection's work runs on a thread of the pool's own `NIOThreadPool`, sized to the
/// pool, so libpq's blocking calls never occupy Swift's cooperative threads. A caller that finds every
/// connection busy waits in line until one is returned or `acquireTimeout` passes. A connection the
/// server dropped (restart, termination) is reopened the next time it is lent, so the pool answers
/// again as soon as the database is back.
public final class PostgresPool: Sendable {
    /// How big the pool is and how long a caller may wait for a connection.
    public struct Configuration: Sendable {
        public var connection: PostgresConfiguration
        /// The most connections open at once; also the number of threads running libpq calls.
        public var size: Int
        /// How long `withConnection` waits for a free connection before failing with `acquireTimeout`.
        public var acquireTimeout: Duration

        public init(connection: PostgresConfiguration, size: Int = 10, acquireTimeout: Duration = .seconds(5)) {
            precondition(size > 0, "a pool needs at least one connection")
            self.connection = connection
            self.size = size
            self.acquireTimeout = acquireTimeout
        }
    }

    /// A snapshot of the pool's use, for health output and tests.
    public struct Statistics: Sendable, Equatable {
        public var size: Int
        public var leased: Int
        public var waiting: Int
    }

    public let configuration: Configuration
    let logger: Logger
    private let threadPool: NIOThreadPool
    private let reactor = QueryReactor()
    private let timerLoop: any EventLoop
    private let state: Mutex<PoolState>

    /// Creates the pool and its threads; connections open lazily on first use.
    public init(configuration: Configuration, logger: Logger = Logger(label: "satang.postgres")) {
        self.configuration = configuration
        self.logger = logger
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.size)
        self.threadPool.start()
        self.timerLoop = MultiThreadedEventLoopGroup.singleton.next()
        let connections = (0..<configuration.size).map { _ in
            PostgresConnection(configuration: configuration.connection)
        }
        self.state = Mutex(PoolState(idle: connections))
    }

    public var statistics: Statistics {
        state.withLock { Statistics(size: configuration.size, leased: $0.leased, waiting: $0.waiters.count) }
    }

    /// Lends a connection to `body`, which runs on a pool thread and may block; the connection returns
    /// to the pool when `body` ends, whether it returned or threw.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let connection = try await acquire()
        let result: Result<T, any Error>
        do {
            result = .success(
                try await threadPool.runIfActive {
                    try connection.ensureUsable()
                    return try body(connection)
                })
        } catch {
            result = .failure(error)
        }
        release(connection)
        return try result.get()
    }

    /// Runs one parameterised statement on a pooled connection.
    ///
    /// Once a connection has prepared the statement, later runs are sent without blocking and their
    /// answers read by the reactor; a first run, or a connection that needs care, takes a pool thread.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) async throws -> PostgresRows {
        let connection = try await acquire()
        var result: Result<PostgresRows, any Error>?
        var stalePlan = false
        do {
            let wire = try connection.encode(parameters)
            if let name = connection.nonBlockingStatementName(sql: sql, wire: wire) {
                result = .success(try await reactor.execute(connection, prepared: name, wire: wire))
            }
        } catch let error as PostgresError where connection.isStalePlan(error) {
            stalePlan = true  // prepared before a schema change: prepare afresh on the blocking path
        } catch {
            result = .failure(error)
        }
        if result == nil {
            let forget = stalePlan
            do {
                result = .success(
                    try await threadPool.runIfActive {
                        if forget { connection.forgetPreparedStatements() }
                        try connection.ensureUsable()
                        return try connection.query(sql, parameters)
                    })
            } catch {
                result = .failure(error)
            }
        }
        release(connection)
        return try result!.get()
    }

    /// Closes every connection once its borrower returns it and stops the pool's threads.
    /// Callers still waiting for a connection fail with `PostgresPoolError.shutDown`.
    public func shutdown() async {
        let (waiters, idle, mustWait) = state.withLock { state in
            state.isShutDown = true
            let waiters = state.waiters
            state.waiters.removeAll()
            let idle = state.idle
            state.idle.removeAll()
            return (waiters, idle, state.leased > 0)
        }
        for waiter in waiters {
            waiter.timeout?.cancel()
            waiter.continuation.resume(throwing: PostgresPoolError.shutDown)
        }
        if mustWait {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.leased == 0 { return true }
                    state.drained = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
        try? await threadPool.runIfActive { idle.forEach { $0.close() } }
        try? await threadPool.shutdownGracefully()
        reactor.shutdown()
        logger.debug("connection pool shut down")
    }

    // MARK: Lending

    private func acquire() async throws -> PostgresConnection {
        let immediate: Result<PostgresConnection, any Error>? = state.withLock { state in
            if state.isShutDown { return .failure(PostgresPoolError.shutDown) }
            guard let connection = state.idle.popLast() else { return nil }
            state.leased += 1
            return .success(connection)
        }
        if let immediate { return try immediate.get() }

        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let outcome: Result<PostgresConnection, any Error>? = state.withLock { state in
                    if state.isShutDown { return .failure(PostgresPoolError.shutDown) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if let connection = state.idle.popLast() {
                        state.leased += 1
                        return .success(connection)
                    }
                    state.waiters.append(PoolState.Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let outcome { return continuation.resume(with: outcome) }
                let timeout = configuration.acquireTimeout
                let scheduled = timerLoop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
                    self.failWaiter(
                        id,
                        with: PostgresPoolError.acquireTimeout(
                            poolSize: self.configuration.size, waitedMilliseconds: timeout.nanoseconds / 1_000_000))
                }
                let stillWaiting = state.withLock { state in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return false }
                    state.waiters[index].timeout = scheduled
                    return true
                }
                if !stillWaiting { scheduled.cancel() }
            }
        } onCancel: {
            failWaiter(id, with: CancellationError())
        }
    }

    private func failWaiter(_ id: UInt64, with error: any Error) {
        let waiter = state.withLock { state -> PoolState.Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        guard let waiter else { return }
        waiter.timeout?.cancel()
        if error is PostgresPoolError {
            logger.warning("database connection wait timed out", metadata: ["pool.size": "\(configuration.size)"])
        }
        waiter.continuation.resume(throwing: error)
    }

    private func release(_ connection: PostgresConnection) {
        enum Next {
            case handOver(PoolState.Waiter)
            case drained(CheckedContinuation<Void, Never>?)
            case idle
        }
        let next: Next = state.withLock { state in
            if state.isShutDown {
                state.leased -= 1
                let drained = state.leased == 0 ? state.drained : nil
                if drained != nil { state.drained = nil }
                return .drained(drained)
            }
            if !state.waiters.isEmpty { return .handOver(state.waiters.removeFirst()) }
            state.leased -= 1
            state.idle.append(connection)
            return .idle
        }
        switch next {
        case .handOver(let waiter):
            waiter.timeout?.cancel()
            waiter.continuation.resume(returning: connection)
        case .drained(let continuation):
            // Closing only sends libpq's terminate message; it does not wait on the server.
            connection.close()
            continuation?.resume()
        case .idle:
            break
        }
    }
}

/// The pool's bookkeeping, changed only under its lock.
struct PoolState: Sendable {
    struct Waiter: Sendable {
        var id: UInt64
        var continuation: CheckedContinuation<PostgresConnection, any Error>
        var timeout: Scheduled<Void>?
    }

    var idle: [PostgresConnection]
    var waiters: [Waiter] = []
    var nextWaiterID: UInt64 = 0
    var leased = 0
    var isShutDown = false
    var drained: CheckedContinuation<Void, Never>?
}

extension Duration {
    /// Whole nanoseconds, for NIO's `TimeAmount`.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
