import Foundation
import PostgresClient

/// Things the ledger did not book but someone must look at, such as a success for an expired payment.
public struct ReconciliationExceptions: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) { self.pool = pool }

    public struct Exception: Sendable {
        public var id: Int64
        public var paymentID: UUID?
        public var merchantCode: String?
        public var kind: String
        /// JSON object text.
        public var detail: String
        public var createdAt: Date
    }

    /// Exceptions in `[from, to)`, newest first, optionally of one merchant.
    public func list(merchantID: Int64? = nil, from: Date? = nil, to: Date? = nil, limit: Int = 100) async throws -> [Exception] {
        try await pool.query(
            """
            SELECT x.id, x.payment_id, m.code, x.kind, x.detail::text AS detail, x.created_at
              FROM reconciliation_exceptions x
              LEFT JOIN payments p ON p.id = x.payment_id
              LEFT JOIN payouts o ON o.id = x.payout_id
              LEFT JOIN merchants m ON m.id = COALESCE(p.merchant_id, o.merchant_id)
             WHERE ($1::int8 IS NULL OR m.id = $1::int8)
               AND ($2::timestamptz IS NULL OR x.created_at >= $2::timestamptz)
               AND ($3::timestamptz IS NULL OR x.created_at < $3::timestamptz)
             ORDER BY x.created_at DESC, x.id DESC LIMIT $4::int8
            """,
            [.optional(merchantID, PostgresValue.int64), .optional(from, PostgresValue.date), .optional(to, PostgresValue.date),
             .int64(Int64(limit))]
        ).map { row in
            Exception(id: try row.decode("id"), paymentID: try row.decode("payment_id"), merchantCode: try row.decode("code"),
                      kind: try row.decode("kind"), detail: try row.decode("detail"), createdAt: try row.decode("created_at"))
        }
    }
}
