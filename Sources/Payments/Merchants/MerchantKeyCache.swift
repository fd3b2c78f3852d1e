import Foundation
import Logging
import PostgresClient
import Synchronization

/// Merchants recognised by API key, kept in memory so a call costs no database round trip to authenticate.
///
/// The cache is trusted only while its listener hears every change to `merchants` (a trigger notifies
/// `satang_merchants_changed`; migration 0016): any change, or losing the listening connection, empties it,
/// and until the listener is back every call asks the database. So a disabled key stops working as soon as
/// the notification arrives (milliseconds), also when another process (the CLI) disabled it.
public final class MerchantKeyCache: Sendable {
    static let channel = "satang_merchants_changed"
    /// An entry is asked for again after this long, even if no change was heard.
    static let maxAge: Duration = .seconds(300)
    /// More distinct keys than this in memory empties the cache (unknown keys are never kept).
    static let capacity = 10_000

    struct Entry {
        var merchant: Merchant
        var secret: String
        var storedAt: ContinuousClock.Instant
    }

    private struct State {
        var trusted = false
        /// Moves on every change heard, so an answer read before a change is never stored after it.
        var generation: UInt64 = 0
        var entries: [[UInt8]: Entry] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// The service that keeps the cache honest; run it beside the server.
    public func listener(configuration: PostgresConfiguration, logger: Logger) -> PostgresChangeListener {
        PostgresChangeListener(configuration: configuration, channel: Self.channel, logger: logger) { [self] event in
            heard(event)
        }
    }

    func heard(_ event: PostgresChangeListener.Event) {
        state.withLock { state in
            state.entries.removeAll()
            state.generation &+= 1
            switch event {
            case .listening: state.trusted = true
            case .changed: break
            case .lost: state.trusted = false
            }
        }
    }

    /// Forgets everything at once: this process changed a merchant itself.
    func forgetAll() { heard(.changed) }

    /// The cached answer for this key hash, or the generation to store a fresh answer under (`nil` when the
    /// cache cannot be trusted at the moment).
    func lookup(_ keyHash: [UInt8]) -> (hit: Entry?, generation: UInt64?) {
        state.withLock { state in
            guard state.trusted else { return (nil, nil) }
            if let entry = state.entries[keyHash], ContinuousClock.now - entry.storedAt < Self.maxAge {
                return (entry, state.generation)
            }
            return (nil, state.generation)
        }
    }

    /// Keeps an answer read from the database, unless a change was heard since `generation` was handed out.
    func store(_ keyHash: [UInt8], merchant: Merchant, secret: String, generation: UInt64) {
        state.withLock { state in
            guard state.trusted, state.generation == generation else { return }
            if state.entries.count >= Self.capacity { state.entries.removeAll() }
            state.entries[keyHash] = Entry(merchant: merchant, secret: secret, storedAt: .now)
        }
    }
}
