import Foundation
import NIOCore
import NIOPosix

/// Swift concurrency's global executor on NIO's event loops, with jobs run as the global executor runs them.
///
/// NIO's own take-over (`unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`) runs
/// each job as if isolated to the event loop, a serial executor. A nonisolated async function must run on
/// the generic executor, so every time one was entered or returned to, the task was enqueued on the loop
/// again: 147 jobs per payment in the bench's full loop, each an allocation, a queue and a trip through
/// the loop. Run as the default global executor runs them (generic, no task executor), they continue in
/// place: 8 jobs per payment. Tasks still run on the event loop that woke them, so a request's handler
/// runs where its connection lives.
enum EventLoopGlobalExecutor {
    private typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Installs the hook; call once, first thing in `main`, before any task of the program's own.
    static func install() {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "swift_task_enqueueGlobal_hook") else {
            return  // a runtime without the hook: tasks stay on Swift's own pool
        }
        symbol.assumingMemoryBound(to: EnqueueGlobalHook?.self).pointee = { job, _ in
            // The loop of the current thread when there is one, so a task continues on the thread that woke it.
            MultiThreadedEventLoopGroup.singleton.any().execute {
                job.runSynchronously(on: EventLoopGlobalExecutor.generic)
            }
        }
    }

    /// The runtime's generic executor (`SerialExecutorRef::generic()`: no identity, no implementation),
    /// which the standard library gives no public way to name.
    private static let generic = unsafeBitCast((UInt(0), UInt(0)), to: UnownedSerialExecutor.self)
}
