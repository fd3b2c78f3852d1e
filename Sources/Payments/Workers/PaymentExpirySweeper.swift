import Foundation
import Logging
import PostgresClient
import ServiceLifecycle

/// Moves unfinished payments past their `expiresAt` to EXPIRED (safe to run in several instances).
public struct PaymentExpirySweeper: Service {
    let pool: PostgresPool
    let logger: Logger
    public var interval: Duration = .seconds(1)
    /// Who expired the payment and why, in its event and callback (the dispatcher expires what it finds late too).
    static let actor = "expiry"
    static let reason = "payment window expired"

    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    public func run() async throws {
        // Expiry is by time, so the sweeper always rests between rounds.
        await repeatUntilShutdown(idle: interval) {
            _ = try await sweepOnce()
            return 0
        }
    }

    /// Expires what is due now; returns how many payments it expired.
    @discardableResult
    public func sweepOnce() async throws -> Int {
        try await pool.transaction { connection in
            let due = try connection.query(
                """
                SELECT id FROM payments
                 WHERE status IN ('NOT_SENT', 'SUBMITTING', 'PENDING') AND expires_at <= now()
                 ORDER BY expires_at LIMIT 500
                   FOR UPDATE SKIP LOCKED
                """)
            let changes = try due.map { PaymentStatusChange(try $0.decode("id"), reason: Self.reason) }
            return try PaymentRegistry.apply(changes, to: .expired, actor: Self.actor, on: connection).count
        }
    }
}
