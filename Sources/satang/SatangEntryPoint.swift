import ArgumentParser
import NIOCore
import NIOPosix

/// The process's entry point: runs Swift concurrency's tasks on NIO's event loops, then the command.
///
/// By default every task runs on Swift's own thread pool, so each request crossed threads twice (the
/// event loop that read it → a pool thread for the handler → the event loop again to write the answer)
/// and every crossing woke a sleeping thread. On the event loops a handler runs where its connection
/// lives. `satang bench payments` on 2 cores, builds alternated, six runs each: at 8 clients 4,291–6,754
/// registrations/s (mean 5,743) against 3,975–5,281 (mean 4,663), p50 1.13–1.30 ms (five runs of six)
/// against 1.45–1.93 ms; the full loop did not change beyond the noise. This is safe because nothing
/// here blocks a task: libpq runs on the pool's own threads, DNS and child processes on `NIOThreadPool`.
@main
enum SatangEntryPoint {
    static func main() async {
        // Before the command starts any task of its own; called once, as NIO requires.
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await Satang.main()
    }
}
