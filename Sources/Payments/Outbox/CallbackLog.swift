import Foundation
import PostgresClient

/// Operator's view of callbacks: what was queued, how delivery went, and a way to send one again.
public struct CallbackLog: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public struct Entry: Sendable {
        public var id: UUID
        public var merchantCode: String
        public var type: String
        public var createdAt: Date
        public var attempts: Int
        /// `delivered`, `failed` (gave up) or `pending`.
        public var state: String
        public var lastError: String?
    }

    /// The newest events, optionally of one merchant.
    public func list(merchantCode: String? = nil, limit: Int = 50) async throws -> [Entry] {
        try await pool.query(
            """
            SELECT o.id, m.code, o.event_type, o.created_at, o.attempts, o.last_error,
                   CASE WHEN o.delivered_at IS NOT NULL THEN 'delivered' WHEN o.failed_at IS NOT NULL THEN 'failed'
                        ELSE 'pending' END AS state
              FROM outbox_events o JOIN merchants m ON m.id = o.merchant_id
             WHERE $1::text IS NULL OR m.code = $1::text
             ORDER BY o.created_at DESC, o.id LIMIT $2::int8
            """, [.optional(merchantCode, PostgresValue.string), .int64(Int64(limit))]
        ).map { row in
            Entry(id: try row.decode("id"), merchantCode: try row.decode("code"), type: try row.decode("event_type"),
                  createdAt: try row.decode("created_at"), attempts: try row.decode("attempts"),
                  state: try row.decode("state"), lastError: try row.decode("last_error"))
        }
    }

    /// Queues the event for delivery now, also after it was delivered or given up on (same event id).
    /// Returns false when there is no such event.
    public func redeliver(_ id: UUID) async throws -> Bool {
        try await pool.query(
            "UPDATE outbox_events SET delivered_at = NULL, failed_at = NULL, next_attempt_at = now() WHERE id = $1::uuid",
            [.uuid(id)]).affectedRows == 1
    }
}
