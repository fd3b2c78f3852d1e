import Foundation
import PostgresClient

extension PayoutRegistry {
    /// The merchant's payout by its `PAY…` reference; another merchant's is `notFound`, like a missing one.
    public func payout(_ reference: String, of merchant: Merchant) async throws -> Payout {
        guard let row = try await pool.query(
            "\(Self.select) WHERE o.reference = $1::text AND o.merchant_id = $2::int8", [.string(reference), .int64(merchant.id)]
        ).first else { throw PayoutError.notFound }
        return try Self.payout(row)
    }

    /// The merchant's payout by its own reference (seed 000's `agent_order_no`).
    public func payout(merchantReference: String, of merchant: Merchant) async throws -> Payout {
        guard let row = try await pool.query(
            "\(Self.select) WHERE o.merchant_reference = $1::text AND o.merchant_id = $2::int8",
            [.string(merchantReference), .int64(merchant.id)]
        ).first else { throw PayoutError.notFound }
        return try Self.payout(row)
    }

    /// Any merchant's payout, for the public status endpoint (status and amount only).
    public func publicPayout(_ reference: String) async throws -> Payout {
        guard let row = try await pool.query("\(Self.select) WHERE o.reference = $1::text", [.string(reference)]).first else {
            throw PayoutError.notFound
        }
        return try Self.payout(row)
    }

    /// One page of the merchant's payouts, newest first (ties broken by id), and how many match.
    public func list(
        statuses: [PayoutStatus]?, createdFrom: Date?, createdTo: Date?, page: Int, limit: Int, of merchant: Merchant
    ) async throws -> (payouts: [Payout], total: Int) {
        let filter = """
            WHERE o.merchant_id = $1::int8
              AND ($2::text[] IS NULL OR o.status::text = ANY ($2::text[]))
              AND ($3::timestamptz IS NULL OR o.created_at >= $3::timestamptz)
              AND ($4::timestamptz IS NULL OR o.created_at <= $4::timestamptz)
            """
        let parameters: [PostgresValue] = [
            .int64(merchant.id), .optional(statuses?.map(\.rawValue), PostgresValue.stringArray),
            .optional(createdFrom, PostgresValue.date), .optional(createdTo, PostgresValue.date),
        ]
        let total: Int = try await pool.query("SELECT count(*) AS n FROM payouts o \(filter)", parameters).single!.decode("n")
        let rows = try await pool.query(
            "\(Self.select) \(filter) ORDER BY o.created_at DESC, o.id DESC LIMIT $5::int8 OFFSET $6::int8",
            parameters + [.int64(Int64(limit)), .int64(Int64((page - 1) * limit))])
        return (try rows.map(Self.payout), total)
    }
}
