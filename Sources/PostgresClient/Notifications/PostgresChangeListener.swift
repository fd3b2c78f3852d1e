import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Listens to one `NOTIFY` channel on a connection of its own, on a thread of its own, and reports what a
/// cache built on the notifying table needs to know: when it starts hearing every change (`listening`), each
/// change (`changed`), and when it may be missing changes (`lost`, until it is `listening` again).
public final class PostgresChangeListener: Service, Sendable {
    /// What the listener heard.
    public enum Event: Sendable {
        /// `LISTEN` is in place: from now on every committed change is reported (earlier ones were not).
        case listening
        /// A change was committed.
        case changed
        /// The connection is gone: changes may go unreported until the next `listening`.
        case lost
    }

    private let configuration: PostgresConfiguration
    private let channel: String
    private let logger: Logger
    private let onEvent: @Sendable (Event) -> Void
    private let stopped = Mutex(false)

    /// `channel` must be a plain lower-case identifier (letters, digits, underscores).
    public init(
        configuration: PostgresConfiguration, channel: String, logger: Logger, onEvent: @escaping @Sendable (Event) -> Void
    ) {
        precondition(!channel.isEmpty && channel.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 })
        self.configuration = configuration
        self.channel = channel
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Listens until cancelled or graceful shutdown; reconnects every second while the database is away.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let thread = Thread { [self] in
                        listenUntilStopped()
                        continuation.resume()
                    }
                    thread.name = "satang-pg-listen"
                    thread.start()
                }
            } onCancel: {
                self.stopped.withLock { $0 = true }
            }
        }
    }

    private var isStopped: Bool { stopped.withLock { $0 } }

    private func listenUntilStopped() {
        while !isStopped {
            do {
                let connection = try PostgresConnection.connect(configuration)
                defer { connection.close() }
                try connection.executeScript("LISTEN \(channel)")
                onEvent(.listening)
                logger.debug("listening for changes", metadata: ["postgres.channel": "\(channel)"])
                while !isStopped {
                    // A short wait, so a stop is noticed quickly.
                    if try !connection.waitForNotifications(milliseconds: 250).isEmpty { onEvent(.changed) }
                }
            } catch {
                onEvent(.lost)
                logger.warning("not listening for changes; retrying in a second",
                               metadata: ["postgres.channel": "\(channel)", "error": "\(error)"])
                for _ in 0..<4 where !isStopped { Thread.sleep(forTimeInterval: 0.25) }
            }
        }
        onEvent(.lost)
    }
}
