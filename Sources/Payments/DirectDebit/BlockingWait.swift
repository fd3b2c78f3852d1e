import Dispatch
import Synchronization

/// Waits for async work from synchronous code that runs on a thread of its own — never on Swift's
/// cooperative pool. Used inside a database transaction's closure (a thread of the connection pool) to
/// keep the transaction open across a call to KTB.
enum BlockingWait {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let value = await body()
            result.withLock { $0 = value }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }
}
