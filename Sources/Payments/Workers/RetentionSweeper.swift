import Foundation
import Logging
import PostgresClient
import ServiceLifecycle

/// Purges what is only kept for a while: idempotency keys older than their retention (24 hours by
/// default, the least a client may rely on), request signatures past their replay window, and expired
/// report-page sessions.
public struct RetentionSweeper: Service {
    let pool: PostgresPool
    let logger: Logger
    public var idempotencyRetention: Duration = .seconds(24 * 3600)
    public var interval: Duration = .seconds(60)

    public init(pool: PostgresPool, logger: Logger) {
        self.pool = pool
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(idle: interval) {
            _ = try await sweepOnce()
            return 0
        }
    }

    /// Deletes expired rows; returns how many of each it removed.
    @discardableResult
    public func sweepOnce() async throws -> (keys: Int, signatures: Int, sessions: Int) {
        let keys = try await pool.query(
            "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1::int8)",
            [.int64(idempotencyRetention.components.seconds)]).affectedRows
        let signatures = try await pool.query("DELETE FROM used_signatures WHERE expires_at < now()").affectedRows
        let sessions = try await pool.query("DELETE FROM report_sessions WHERE expires_at < now()").affectedRows
        return (keys, signatures, sessions)
    }
}
